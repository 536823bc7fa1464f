namespace AtlassianEmulator;

/// <summary>
/// A fixed-size cache of rendered representations, one slot per item and REST API version ("2" or "3").
/// Concurrent first uses may render the same item twice; both results are equal, so that is harmless.
/// </summary>
internal sealed class RenderCache<T>(int count)
    where T : class
{
    private readonly T?[] _v2 = new T?[count];
    private readonly T?[] _v3 = new T?[count];

    public T GetOrRender<TItem>(string apiVersion, int index, TItem item, Func<TItem, string, T> render)
    {
        var slots = apiVersion == "3" ? _v3 : _v2;
        return slots[index] ??= render(item, apiVersion);
    }
}

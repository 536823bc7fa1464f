namespace AtlassianEmulator;

/// <summary>
/// A cache of rendered representations, one slot per item and REST API version ("2" or "3"). Concurrent first uses
/// may render the same item twice; both results are equal, so that is harmless. Slots grow with the catalog and are
/// dropped when an item changes.
/// </summary>
internal sealed class RenderCache<T>(int count)
    where T : class
{
    private readonly Lock _gate = new();
    private T?[] _v2 = new T?[count];
    private T?[] _v3 = new T?[count];

    public T GetOrRender<TItem>(string apiVersion, int index, TItem item, Func<TItem, string, T> render)
    {
        var slots = apiVersion == "3" ? _v3 : _v2;
        if (index >= slots.Length)
        {
            return render(item, apiVersion);
        }

        return slots[index] ??= render(item, apiVersion);
    }

    /// <summary>Makes room for items up to <paramref name="count"/>.</summary>
    public void EnsureCapacity(int count)
    {
        lock (_gate)
        {
            if (count <= _v2.Length)
            {
                return;
            }

            var size = Math.Max(count, _v2.Length * 2);
            Array.Resize(ref _v2, size);
            Array.Resize(ref _v3, size);
        }
    }

    /// <summary>Drops the rendered forms of one item.</summary>
    public void Invalidate(int index)
    {
        var v2 = _v2;
        var v3 = _v3;
        if (index < v2.Length)
        {
            v2[index] = null;
        }

        if (index < v3.Length)
        {
            v3[index] = null;
        }
    }
}

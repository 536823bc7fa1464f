namespace AtlassianEmulator;

/// <summary>
/// A cache of rendered representations, one slot per item and REST API version ("2" or "3"). Each entry remembers the
/// immutable state it was rendered from; an entry of another state (compared by reference) is a miss and is replaced,
/// so a change needs no invalidation and a render that races a change is never served for the new state. Concurrent
/// first uses may render the same state twice; both results are equal, so that is harmless. Slots grow with the catalog.
/// </summary>
internal sealed class RenderCache<T>(int count)
    where T : class
{
    private readonly Lock _gate = new();
    private Entry?[] _v2 = new Entry?[count];
    private Entry?[] _v3 = new Entry?[count];

    /// <summary>The cached form of <paramref name="item"/> in <paramref name="state"/>, rendered from that state when missing.</summary>
    public T GetOrRender<TItem, TState>(string apiVersion, int index, TItem item, TState state, Func<TItem, TState, string, T> render)
        where TState : class
    {
        var slots = apiVersion == "3" ? _v3 : _v2;
        if (index >= slots.Length)
        {
            return render(item, state, apiVersion);
        }

        if (slots[index] is { } entry && ReferenceEquals(entry.State, state))
        {
            return entry.Value;
        }

        var value = render(item, state, apiVersion);
        slots[index] = new Entry(state, value);
        return value;
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

    private sealed record Entry(object State, T Value);
}

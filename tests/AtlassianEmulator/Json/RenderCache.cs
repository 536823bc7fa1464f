namespace AtlassianEmulator;

/// <summary>Which address a representation's links point at: the site, or the API gateway's /ex/jira/{cloudId} in front of it.</summary>
internal enum RenderVariant
{
    Site,
    Gateway,
}

/// <summary>
/// A cache of rendered representations, one slot per item, variant (site or gateway: their links differ) and REST API
/// version ("2" or "3"). Each entry remembers the immutable state it was rendered from; an entry of another state
/// (compared by reference) is a miss and is replaced, so a change needs no invalidation and a render that races a change
/// is never served for the new state. Concurrent first uses may render the same state twice; both results are equal, so
/// that is harmless. Slots grow with the catalog.
/// </summary>
internal sealed class RenderCache<T>
    where T : class
{
    private readonly Lock _gate = new();

    /// <summary>Slot arrays by <see cref="SlotsOf"/>: site v2, site v3, gateway v2, gateway v3.</summary>
    private readonly Entry?[][] _slots;

    public RenderCache(int count)
    {
        _slots = new Entry?[4][];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Entry?[count];
        }
    }

    /// <summary>The cached form of <paramref name="item"/> in <paramref name="state"/>, rendered from that state when missing.</summary>
    public T GetOrRender<TItem, TState>(RenderVariant variant, string apiVersion, int index, TItem item, TState state, Func<TItem, TState, string, T> render)
        where TState : class
    {
        var slots = _slots[SlotsOf(variant, apiVersion)];
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
            if (count <= _slots[0].Length)
            {
                return;
            }

            var size = Math.Max(count, _slots[0].Length * 2);
            for (var i = 0; i < _slots.Length; i++)
            {
                Array.Resize(ref _slots[i], size);
            }
        }
    }

    private static int SlotsOf(RenderVariant variant, string apiVersion) =>
        ((int)variant * 2) + (apiVersion == "3" ? 1 : 0);

    private sealed record Entry(object State, T Value);
}

namespace AtlassianEmulator;

/// <summary>
/// A bounded in-memory log, oldest first: beyond <see cref="Capacity"/> entries the oldest is dropped. Each entry gets
/// the next sequence number (1, 2, ...; clearing does not restart it), taken under the same lock that appends it, so
/// the numbers follow the order of the log.
/// </summary>
internal sealed class BoundedLog<T>(int capacity)
{
    private readonly Queue<T> _entries = new();
    private readonly Lock _gate = new();
    private int _sequence;

    public int Capacity { get; } = capacity;

    /// <summary>Appends the entry <paramref name="create"/> makes from its sequence number.</summary>
    public void Add(Func<int, T> create)
    {
        lock (_gate)
        {
            Append(create(++_sequence));
        }
    }

    /// <summary>Appends <paramref name="entry"/>, which does not show its sequence number.</summary>
    public void Add(T entry)
    {
        lock (_gate)
        {
            ++_sequence;
            Append(entry);
        }
    }

    public T[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    private void Append(T entry)
    {
        if (_entries.Count == Capacity)
        {
            _entries.Dequeue();
        }

        _entries.Enqueue(entry);
    }
}

using System.Collections.Concurrent;

namespace AtlassianEmulator;

/// <summary>The outcome of counting one request against the burst limit.</summary>
internal readonly record struct BurstDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset);

/// <summary>
/// Jira Cloud's burst limit: at most <see cref="Limit"/> GET/POST requests per second per endpoint, half as many
/// PUT/DELETE requests, counted in fixed one-second windows. Off while the limit is 0. Thread-safe.
/// </summary>
public sealed class BurstLimiter(int limit)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private volatile int _limit = limit;
    private long _rejected;

    /// <summary>Requests per second per endpoint for GET and POST; 0 turns the limiter off.</summary>
    public int Limit
    {
        get => _limit;
        set
        {
            _limit = value;
            _windows.Clear();
        }
    }

    public bool Enabled => _limit > 0;

    /// <summary>Requests answered 429 since the limit was last set.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>The limit of a method: PUT and DELETE get half of it, as on Jira Cloud.</summary>
    public int LimitFor(string method) =>
        HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) ? Math.Max(1, _limit / 2) : _limit;

    internal BurstDecision Take(string method, string endpoint, DateTimeOffset now)
    {
        var limit = LimitFor(method);
        var second = now.ToUnixTimeSeconds();
        var window = _windows.GetOrAdd(method + " " + endpoint, static _ => new Window());
        int count;
        lock (window)
        {
            if (window.Second != second)
            {
                window.Second = second;
                window.Count = 0;
            }

            count = ++window.Count;
        }

        var allowed = count <= limit;
        if (!allowed)
        {
            Interlocked.Increment(ref _rejected);
        }

        return new BurstDecision(allowed, limit, Math.Max(0, limit - count), DateTimeOffset.FromUnixTimeSeconds(second + 1));
    }

    private sealed class Window
    {
        public long Second { get; set; } = -1;

        public int Count { get; set; }
    }
}

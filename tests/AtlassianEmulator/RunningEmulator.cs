namespace AtlassianEmulator;

/// <summary>A started emulator. Dispose it to stop listening.</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    internal RunningEmulator(WebApplication app, EmulatorState state)
    {
        _app = app;
        State = state;
    }

    /// <summary>For example http://127.0.0.1:41234/ (with a trailing slash, ready for HttpClient.BaseAddress).</summary>
    public Uri BaseUrl => State.BaseUrl;

    /// <summary>Seed data, settings, faults and the request log; the same operations as the /_emulator API.</summary>
    public EmulatorState State { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

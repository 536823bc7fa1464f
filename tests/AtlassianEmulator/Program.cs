using System.Runtime.InteropServices;

namespace AtlassianEmulator;

/// <summary>
/// Command-line host: starts the emulator, prints one line with its URL on standard output, and runs
/// until standard input closes (unless --ignore-stdin) or SIGTERM / Ctrl+C arrives.
/// </summary>
public static class Program
{
    public const string ReadyLinePrefix = "Atlassian emulator listening on ";

    public static async Task<int> Main(string[] args)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}{Environment.NewLine}{CommandLine.Usage}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        await using var emulator = await EmulatorApp.StartAsync(commandLine.Options, stop.Token);
        await Console.Out.WriteLineAsync(ReadyLinePrefix + emulator.State.BaseAddress);
        await Console.Out.FlushAsync();

        var stopped = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
        await (commandLine.IgnoreStandardInput ? stopped : Task.WhenAny(stopped, StandardInputClosedAsync()));
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task StandardInputClosedAsync()
    {
        await using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await input.ReadAsync(buffer) > 0)
        {
        }
    }
}

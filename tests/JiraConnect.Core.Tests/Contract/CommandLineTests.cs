#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>The emulator as a process: one ready line on stdout, nothing else, and a clean exit.</summary>
public sealed partial class CommandLineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Prints_exactly_one_ready_line_serves_and_exits_when_stdin_closes()
    {
        using var process = Start("--port", "0", "--projects", "3", "--flavor", "datacenter", "--issues", "4");
        var stderr = process.StandardError.ReadToEndAsync();

        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Deadline);
        var match = ReadyLine().Match(line ?? string.Empty);
        Assert.True(match.Success, $"unexpected first line: {line}");
        using (var http = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value + "/") })
        {
            http.DefaultRequestHeaders.Authorization = Seeded.DataCenterAdmin.Header;
            var projects = await http.GetStringAsync("rest/api/2/project");
            Assert.Equal(3, System.Text.Json.JsonDocument.Parse(projects).RootElement.GetArrayLength());
        }

        process.StandardInput.Close();
        var rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(Deadline);
        await process.WaitForExitAsync().WaitAsync(Deadline);

        Assert.Equal(string.Empty, rest);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(string.Empty, await stderr);
    }

    [Fact]
    public async Task Exits_on_sigterm()
    {
        using var process = Start("--port", "0", "--ignore-stdin");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Deadline);
        Assert.Matches(ReadyLine(), line ?? string.Empty);

        if (OperatingSystem.IsWindows())
        {
            process.StandardInput.Close(); // no SIGTERM to send; --ignore-stdin keeps it running until killed
            process.Kill();
        }
        else
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().WaitAsync(Deadline);
        }

        await process.WaitForExitAsync().WaitAsync(Deadline);
        Assert.True(process.HasExited);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(0, process.ExitCode);
        }
    }

    [Theory]
    [InlineData("--flavor", "server")]
    [InlineData("--projects", "-5")]
    [InlineData("--port")]
    [InlineData("--colour", "red")]
    [InlineData("--burst-limit", "-1")]
    public async Task Bad_arguments_exit_2_with_usage_on_stderr_and_nothing_on_stdout(params string[] args)
    {
        using var process = Start(args);

        var stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(Deadline);
        var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(Deadline);
        await process.WaitForExitAsync().WaitAsync(Deadline);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("usage: AtlassianEmulator", stderr);
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AtlassianEmulator.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    [GeneratedRegex(@"^Atlassian emulator listening on (http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ReadyLine();
}

#nullable enable
using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.Services;

namespace JiraConnect.Tests.Engine;

/// <summary>Sessions of the engine against an in-process emulator, with the seeded accounts.</summary>
internal static class EngineHarness
{
    public static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public static Task<JiraSession> ConnectAdminAsync(RunningEmulator emulator, RetryPolicy? retry = null) =>
        emulator.State.Flavor == EmulatorFlavor.Cloud
            ? ConnectAsync(emulator, JiraAuthentication.Basic("admin@example.com", Secure("ATATT3xFfGF0-emu-admin-Q7rT9vK2pL")), retry)
            : ConnectAsync(emulator, JiraAuthentication.Bearer(Secure("NjQ4MzE-emu-pat-admin-R8sK2wQ5vX")), retry);

    public static Task<JiraSession> ConnectLimitedAsync(RunningEmulator emulator) =>
        emulator.State.Flavor == EmulatorFlavor.Cloud
            ? ConnectAsync(emulator, JiraAuthentication.Basic("limited@example.com", Secure("ATATT3xFfGF0-emu-limited-W3nB8cJ4")))
            : ConnectAsync(emulator, JiraAuthentication.Basic("limited", Secure("L1mited-Passw0rd!")));

    public static Task<JiraSession> ConnectAsync(RunningEmulator emulator, JiraAuthentication authentication, RetryPolicy? retry = null) =>
        JiraConnector.ConnectAsync(new JiraConnectionOptions
        {
            Url = emulator.BaseUrl,
            Authentication = authentication,
            Retry = retry ?? RetryPolicy.Default,
            Timeout = TimeSpan.FromSeconds(30),
        }, CancellationToken.None);

    public static Task<RunningEmulator> StartAsync(EmulatorFlavor flavor, int projects = 25) =>
        EmulatorApp.StartAsync(new EmulatorOptions { Flavor = flavor, Projects = projects, Issues = 5 });
}

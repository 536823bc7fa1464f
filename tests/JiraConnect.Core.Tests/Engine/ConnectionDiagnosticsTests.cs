#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Diagnostics;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.Services;
using JiraConnect.Tests.Engine;
using Xunit;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine;

/// <summary>The steps of Test-JiraConnection that need the engine's view: OAuth sessions and the listener delivery.</summary>
public sealed class ConnectionDiagnosticsTests
{
    [Fact]
    public async Task An_oauth_session_gets_the_four_oauth_checks()
    {
        await using var harness = await OAuthHarness.StartAsync();
        var token = await harness.NewTokenAsync();
        using var session = await JiraConnector.ConnectAsync(new JiraConnectionOptions
        {
            OAuthToken = token,
            CloudId = OAuthServer.SiteCloudId,
            Authentication = JiraAuthentication.OAuth(token),
            NoProxy = true,
        }, CancellationToken.None);

        var checks = await RunAsync(new JiraConnectionTestOptions { Session = session, SkipProjectAccess = true });

        Assert.Equal(nameof(JiraCheckStatus.Pass), checks["Credentials"].Status);
        Assert.Contains("OAuth 2.0 access token", checks["Credentials"].Detail);
        Assert.Equal(nameof(JiraCheckStatus.Pass), checks["OAuthTokenExpiry"].Status);
        Assert.Contains("refreshed 5 min before it expires", checks["OAuthTokenExpiry"].Detail);
        Assert.Equal(nameof(JiraCheckStatus.Pass), checks["OAuthRefresh"].Status);
        // The harness grants read:jira-work, read:jira-user and offline_access: write:jira-work is missing.
        Assert.Equal(nameof(JiraCheckStatus.Fail), checks["OAuthScopes"].Status);
        Assert.Contains("missing: write:jira-work (creating and updating issues", checks["OAuthScopes"].Detail);
        Assert.Contains("-Scope read:jira-work, read:jira-user, offline_access, write:jira-work", checks["OAuthScopes"].Remedy);
        Assert.Equal(nameof(JiraCheckStatus.Pass), checks["OAuthAccessibleResources"].Status);
        Assert.Contains(OAuthServer.SiteCloudId, checks["OAuthAccessibleResources"].Detail);

        var scoped = await RunAsync(new JiraConnectionTestOptions { Session = session, SkipProjectAccess = true, RequiredScopes = ["read:jira-work"] });
        Assert.Equal(nameof(JiraCheckStatus.Pass), scoped["OAuthScopes"].Status);
    }

    [Fact]
    public async Task Basic_sessions_report_the_oauth_checks_as_not_applicable()
    {
        await using var emulator = await EmulatorHarness.Cloud(projects: 3, issues: 0);
        using var session = await Emu.ConnectAsync(emulator, Emu.CloudAdmin());

        var checks = await RunAsync(new JiraConnectionTestOptions { Session = session, SkipProjectAccess = true });

        Assert.All(JiraConnectionCheckNames.All.Where(n => n.StartsWith("OAuth", StringComparison.Ordinal)), n =>
        {
            Assert.Equal(nameof(JiraCheckStatus.NotApplicable), checks[n].Status);
            Assert.Contains("uses API token authentication", checks[n].Detail);
        });
        Assert.Equal(JiraConnectionCheckNames.All, checks.Keys);
    }

    [Fact]
    public async Task The_listener_delivery_tells_accepted_rejected_slow_and_closed_apart()
    {
        await using var emulator = await EmulatorHarness.Cloud(projects: 1, issues: 0);
        using var session = await Emu.ConnectAsync(emulator, Emu.CloudAdmin());
        var listener = new Uri(emulator.BaseUrl, "listener");

        var accepted = await ListenerAsync(session, listener, EmulatorState.DefaultListenerToken);
        var rejected = await ListenerAsync(session, listener, "wrong-token");
        emulator.State.AddFault(new FaultSpec { Path = "/listener", Kind = FaultKind.Delay, DelayMs = 3000 });
        var slow = await ListenerAsync(session, listener, EmulatorState.DefaultListenerToken, TimeSpan.FromMilliseconds(300));
        var closed = await ListenerAsync(session, new Uri($"http://127.0.0.1:{TestSupport.FreePort()}/listener"), EmulatorState.DefaultListenerToken);

        Assert.Equal(nameof(JiraCheckStatus.Pass), accepted["ListenerDelivery"].Status);
        Assert.Equal(nameof(JiraCheckStatus.Pass), accepted["ListenerAuthentication"].Status);
        Assert.Equal(nameof(JiraCheckStatus.Fail), rejected["ListenerDelivery"].Status);
        Assert.StartsWith("The token does not match", rejected["ListenerDelivery"].Remedy);
        Assert.Equal(nameof(JiraCheckStatus.Fail), slow["ListenerDelivery"].Status);
        Assert.Contains("answer at once", slow["ListenerDelivery"].Remedy);
        Assert.Equal(nameof(JiraCheckStatus.Fail), closed["ListenerDelivery"].Status);
        Assert.Contains("got no answer", closed["ListenerDelivery"].Detail);
        var log = await Emu.LogAsync(emulator, atLeast: 4, "/listener");
        Assert.Equal(["Bearer", null, "Bearer", null], log.Take(4).Select(r => r.AuthScheme));
    }

    private static async Task<Dictionary<string, JiraConnectionCheck>> ListenerAsync(JiraSession session, Uri url, string token, TimeSpan? responseLimit = null)
    {
        using var diagnostics = new JiraConnectionDiagnostics(new JiraConnectionTestOptions
        {
            Session = session,
            ListenerUrl = url,
            ListenerToken = TestSupport.Secure(token),
            ListenerResponseLimit = responseLimit ?? TimeSpan.FromSeconds(20),
        });
        var checks = await diagnostics.Steps.Single(s => s.Activity == "Sending a test delivery to the listener").RunAsync(CancellationToken.None);
        return checks.ToDictionary(c => c.Name);
    }

    private static async Task<Dictionary<string, JiraConnectionCheck>> RunAsync(JiraConnectionTestOptions options)
    {
        var checks = new Dictionary<string, JiraConnectionCheck>();
        using var diagnostics = new JiraConnectionDiagnostics(options);
        foreach (var step in diagnostics.Steps)
        {
            foreach (var check in await step.RunAsync(CancellationToken.None))
            {
                checks.Add(check.Name, check);
            }
        }

        return checks;
    }
}

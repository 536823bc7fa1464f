#nullable enable
using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using JiraConnect.Services;
using JiraConnect.Tests.Contract;
using Xunit;

namespace JiraConnect.Core.Tests.Engine;

/// <summary>
/// Jira Cloud's burst limit counts requests per endpoint per second: once Jira says an endpoint is near its limit,
/// the session spaces its requests to that endpoint instead of letting every worker run into 429s.
/// </summary>
public sealed class BurstPacingTests
{
    [Fact]
    public async Task Role_reads_of_an_audit_that_requires_the_role_are_paced_to_the_burst_limit_instead_of_answered_429()
    {
        const int projects = 150, limit = 40;
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));
        emulator.State.BurstLimiter.Limit = limit;
        long rejectedBefore = emulator.State.BurstLimiter.Rejected;

        var (results, errors) = await ProjectAccessAuditTests.RunAsync(session, new JiraAccessAuditOptions { RequireRole = true, ThrottleLimit = 8 }, null);

        // 150 reads of one endpoint from 8 workers would reach 40 a second within a fraction of it, in every second.
        var roleReads = emulator.State.Requests.Count(r => r.Path.StartsWith("/rest/api/3/project/", StringComparison.Ordinal) && r.Path.Contains("/role/"));
        long rejected = emulator.State.BurstLimiter.Rejected - rejectedBefore;
        Assert.Empty(errors);
        Assert.Equal(projects, results.Count);
        Assert.InRange(roleReads, projects, projects + 2);
        Assert.InRange(rejected, 0, 2);
    }

    [Fact]
    public void An_endpoint_is_not_paced_until_Jira_says_it_is_near_its_limit_then_no_more_than_the_limit_go_in_a_window()
    {
        var pace = new EndpointPace();
        var window = BurstPacer.Window;

        // Unpaced, any number goes at once; what was sent still counts once the pace starts.
        for (var i = 0; i < 4; i++) Assert.Equal(TimeSpan.Zero, pace.TryTake(Ms(i * 10), window));
        Assert.True(pace.Near(5));
        Assert.False(pace.Near(5));
        Assert.Equal(TimeSpan.Zero, pace.TryTake(Ms(100), window));
        var wait = pace.TryTake(Ms(200), window);

        // The sixth waits until the first of the five leaves the window.
        Assert.Equal(window - Ms(200) + Ms(1), wait);
        Assert.Equal(TimeSpan.Zero, pace.TryTake(window + Ms(1), window));
        Assert.True(pace.TryTake(window + Ms(2), window) > TimeSpan.Zero);
    }

    [Fact]
    public void A_burst_429_while_paced_slows_the_pace_once_a_window_and_answers_within_the_limit_raise_it_again()
    {
        var pace = new EndpointPace();
        Assert.True(pace.Near(100));

        // Eight workers' requests were on their way together: their 429s slow the pace once.
        var slowed = Enumerable.Range(0, 8).Count(_ => pace.Limited(Ms(500), 100, BurstPacer.Window));
        Assert.Equal(1, slowed);
        Assert.Equal(75, pace.Budget);
        Assert.True(pace.Limited(Ms(500) + BurstPacer.Window, 100, BurstPacer.Window));
        Assert.Equal(56.25, pace.Budget, 3);

        for (var i = 0; i < 2000; i++) pace.Answered();
        Assert.InRange(pace.Budget, 57, 99.9);
        for (var i = 0; i < 3000; i++) pace.Answered();
        Assert.Equal(100, pace.Budget);
    }

    [Theory]
    [InlineData(200, "false", null, 0)]                       // Data Center style headers, far from any limit
    [InlineData(200, "true", null, 100)]                      // near the limit: paced to it
    [InlineData(429, "true", "jira-quota-global-based", 0)]   // the quota is not a matter of pace (the gate waits)
    [InlineData(429, "true", null, 0)]                        // a 429 that does not say it is the burst limit
    [InlineData(429, "true", "jira-burst-based", 100)]        // the burst limit: paced to the limit Jira named
    public async Task Only_a_near_limit_answer_or_a_burst_429_paces_an_endpoint(int status, string nearLimit, string? reason, double expected)
    {
        var pacer = new BurstPacer();
        const string endpoint = "GET project/{projectIdOrKey}/role/{id}";
        await pacer.WaitTurnAsync(endpoint, new RateLimitGate(), CancellationToken.None);
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Limit", "100");
        response.Headers.TryAddWithoutValidation("X-RateLimit-NearLimit", nearLimit);
        if (reason != null) response.Headers.TryAddWithoutValidation("RateLimit-Reason", reason);

        pacer.Observe(endpoint, response);

        Assert.Equal(expected, pacer.PaceOf(endpoint));
        Assert.Equal(0, pacer.PaceOf("GET /rest/api/3/mypermissions"));
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}

#nullable enable
using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using Xunit;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine;

/// <summary>The session-wide pause after 429: every request waits, not only the one that was limited.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public void A_pause_extends_but_never_shortens_and_reports_only_a_fresh_start()
    {
        var gate = new RateLimitGate();

        Assert.True(gate.PauseFor(TimeSpan.FromSeconds(5)));
        var resumeAt = gate.ResumeAt;
        Assert.False(gate.PauseFor(TimeSpan.FromSeconds(1)));
        Assert.Equal(resumeAt, gate.ResumeAt);
        Assert.False(gate.PauseFor(TimeSpan.FromSeconds(10)));
        Assert.True(gate.ResumeAt > resumeAt);
    }

    [Fact]
    public async Task A_429_with_retry_after_pauses_every_request_of_the_session()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 25, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));
        emulator.State.ClearRequests();
        emulator.State.AddFault(new FaultSpec { Path = "/rest/api/3/serverInfo", Kind = FaultKind.Status, Status = 429, RetryAfter = 1, After = 3, Times = 1 });

        // Four workers, each sending requests one after another as fast as the emulator answers.
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 8; i++)
            {
                var path = w == 0 ? "serverInfo" : "myself";
                await session.Client.SendAsync(HttpMethod.Get, session.Client.Resolve(path), null, CancellationToken.None);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var log = await Emu.LogAsync(emulator, atLeast: 33);
        var limited = log.Single(r => r.Status == 429).Timestamp;
        var during = log.Where(r => r.Timestamp > limited.AddMilliseconds(200) && r.Timestamp < limited.AddMilliseconds(900)).ToList();
        var after = log.Where(r => r.Timestamp >= limited.AddMilliseconds(900)).ToList();

        Assert.Empty(during);
        Assert.NotEmpty(after);
        Assert.Equal(33, log.Count);
        Assert.All(log.Where(r => r.Status != 429), r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task A_read_only_post_is_retried_after_429_and_another_post_is_not()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 25, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));
        var url = session.Client.Resolve("permissions/check");
        const string body = """{"projectPermissions":[{"permissions":["BROWSE_PROJECTS"],"projects":[10000]}]}""";

        emulator.State.AddFault(new FaultSpec { Path = "/rest/api/3/permissions/check", Kind = FaultKind.Status, Status = 429, RetryAfter = 0, Times = 1 });
        var retried = await session.Client.SendAsync(HttpMethod.Post, url, body, retryable: true, CancellationToken.None);
        emulator.State.AddFault(new FaultSpec { Path = "/rest/api/3/permissions/check", Kind = FaultKind.Status, Status = 429, RetryAfter = 0, Times = 1 });
        var refused = await Assert.ThrowsAsync<JiraRateLimitException>(() => session.Client.SendAsync(HttpMethod.Post, url, body, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(JiraErrorId.RateLimited, refused.ErrorId);
    }

    [Fact]
    public void Rate_limit_reset_is_read_as_a_wait()
    {
        using var response = new HttpResponseMessage((HttpStatusCode)429);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", DateTimeOffset.UtcNow.AddSeconds(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));

        var wait = JiraResponse.ParseRateLimitReset(response);

        Assert.NotNull(wait);
        Assert.InRange(wait!.Value.TotalSeconds, 25, 31);
    }
}

using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Diagnostics;
using JiraConnect.Http;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>The retry handler through the real pipeline, against the emulator's injected faults.</summary>
    public class RetryPipelineTests
    {
        private const string ServerInfo = "/rest/api/2/serverInfo";

        [Fact]
        public async Task TwoRateLimitsWithRetryAfterThenSuccess()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Status, Status = 429, RetryAfter = 1, Times = 2 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin()));

            var clock = Stopwatch.StartNew();
            var response = await client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None);
            clock.Stop();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"deploymentType\":\"Cloud\"", response.BodyText);
            var log = await Emu.LogAsync(emu, 3);
            Assert.Equal(3, log.Count);
            Assert.Equal(new int?[] { 429, 429, 200 }, log.Select(r => r.Status).ToArray());
            Assert.All(log, r => Assert.Equal(ServerInfo, r.Path));
            Assert.All(log, r => Assert.Equal("Basic", r.AuthScheme));
            // Retry-After is the minimum wait before each retry (and at most 1.3x of it).
            for (int i = 1; i < log.Count; i++)
                Assert.True(log[i].Timestamp - log[i - 1].Timestamp >= TimeSpan.FromMilliseconds(990),
                    $"retry {i} came {(log[i].Timestamp - log[i - 1].Timestamp).TotalMilliseconds} ms after the 429");
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
        }

        [Fact]
        public async Task ServiceUnavailableForeverEndsAfterMaxRetriesPlusOneAttempts()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Status, Status = 503, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin(), FastRetry(maxRetries: 3)));

            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<JiraRateLimitException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None));

            Assert.Equal(JiraErrorId.ServiceUnavailable, error.ErrorId);
            Assert.Equal(JiraErrorKind.ResourceUnavailable, error.Kind);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
            Assert.Contains("unavailable", Assert.Single(error.ErrorMessages), StringComparison.OrdinalIgnoreCase);
            var log = await Emu.LogAsync(emu, 4);
            Assert.Equal(4, log.Count);
            Assert.All(log, r => Assert.Equal(503, r.Status));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"backoff took {clock.Elapsed}");
        }

        [Fact]
        public async Task MaxRetriesZeroMakesOneAttempt()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Status, Status = 429, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin(), FastRetry(maxRetries: 0)));

            var error = await Assert.ThrowsAsync<JiraRateLimitException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None));
            Assert.Equal(JiraErrorId.RateLimited, error.ErrorId);
            Assert.Single(await Emu.LogAsync(emu, 1));
        }

        [Fact]
        public async Task RetryAfterLongerThanMaxRetryAfterFailsAtOnceAndSaysWhen()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Status, Status = 429, RetryAfter = 120, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin()));

            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<JiraRateLimitException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None));

            Assert.Equal(JiraErrorId.RateLimited, error.ErrorId);
            Assert.Equal(JiraErrorKind.LimitsExceeded, error.Kind);
            Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
            Assert.Contains("120 s", error.Message);
            Assert.Single(await Emu.LogAsync(emu, 1));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task PostAnsweredRateLimitIsNotRetried()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = "/rest/api/3/issue", Method = "POST", Kind = FaultKind.Status, Status = 429, RetryAfter = 0, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin()));

            var error = await Assert.ThrowsAsync<JiraRateLimitException>(
                () => client.SendAsync(HttpMethod.Post, client.Resolve("/rest/api/3/issue"), "{\"fields\":{}}", CancellationToken.None));

            Assert.Equal(JiraErrorId.RateLimited, error.ErrorId);
            var only = Assert.Single(await Emu.LogAsync(emu, 1));
            Assert.Equal("POST", only.Method);
            Assert.Equal(429, only.Status);
        }

        [Fact]
        public async Task PutAnsweredRateLimitIsRetried()
        {
            await using var emu = await EmulatorHarness.Cloud();
            // PUT is idempotent: the retry reaches the server, which edits the issue.
            emu.State.AddFault(new FaultSpec { Path = "/rest/api/3/issue/DEV-1", Method = "PUT", Kind = FaultKind.Status, Status = 429, RetryAfter = 0, Times = 1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin()));

            await client.SendAsync(HttpMethod.Put, client.Resolve("/rest/api/3/issue/DEV-1"), "{\"fields\":{\"summary\":\"x\"}}", CancellationToken.None);

            var log = await Emu.LogAsync(emu, 2);
            Assert.Equal(2, log.Count);
            Assert.All(log, r => Assert.Equal("PUT", r.Method));
            Assert.Equal(429, log[0].Status);
            Assert.Equal(204, log[1].Status);
            Assert.Equal("x", emu.State.Issues.First(i => i.Key == "DEV-1").Summary);
        }

        [Fact]
        public async Task CancellationDuringARetryWaitEndsPromptly()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Status, Status = 429, RetryAfter = 1, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin()));
            using var cts = new CancellationTokenSource();
            var sinceWaitStarted = new Stopwatch();
            // Cancel 50 ms into the wait the engine announces before sleeping out the 1 s Retry-After.
            JiraLog.Current = new CallbackLogSink(line =>
            {
                if (line.Contains("answered 429; retry 1", StringComparison.Ordinal))
                {
                    sinceWaitStarted.Start();
                    cts.CancelAfter(50);
                }
            });
            try
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(
                    () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, cts.Token));
            }
            finally
            {
                JiraLog.Current = null;
            }
            sinceWaitStarted.Stop();

            Assert.True(cts.IsCancellationRequested);
            Assert.True(sinceWaitStarted.Elapsed > TimeSpan.Zero, "the retry wait never started");
            Assert.True(sinceWaitStarted.Elapsed < TimeSpan.FromMilliseconds(700), $"cancellation took {sinceWaitStarted.Elapsed} into a 1 s Retry-After wait");
            Assert.Single(await Emu.LogAsync(emu, 1));
        }

        private sealed class CallbackLogSink : IJiraLogSink
        {
            private readonly Action<string> _onLine;
            public CallbackLogSink(Action<string> onLine) { _onLine = onLine; }
            public bool IsEnabled(JiraLogLevel level) => level == JiraLogLevel.Verbose;
            public void Write(JiraLogLevel level, string message) => _onLine(message);
        }
    }
}

using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using Xunit;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>Timeouts, user cancellation and dropped connections through the real pipeline.</summary>
    public class TimeoutAndTransportTests
    {
        private const string ServerInfo = "/rest/api/2/serverInfo";

        [Fact]
        public async Task SlowAnswerBeyondTheTimeoutIsRequestTimeout()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Delay, DelayMs = 10_000, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin(), timeout: TimeSpan.FromMilliseconds(300)));

            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<JiraTimeoutException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None));
            clock.Stop();

            Assert.Equal(JiraErrorId.RequestTimeout, error.ErrorId);
            Assert.Equal(JiraErrorKind.Timeout, error.Kind);
            Assert.Equal(emu.BaseUrl + "rest/api/2/serverInfo", error.Target);
            Assert.Contains("0.3 s", error.Message);
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));
        }

        [Fact]
        public async Task TimeoutIsPerAttemptAndAFastAnswerPasses()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Delay, DelayMs = 50, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin(), timeout: TimeSpan.FromSeconds(5)));

            var response = await client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(200, Assert.Single(await Emu.LogAsync(emu, 1)).Status);
        }

        [Fact]
        public async Task UserCancellationOfASlowRequestIsOperationCanceledQuickly()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Delay, DelayMs = 10_000, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin(), timeout: TimeSpan.FromSeconds(30)));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, cts.Token));
            clock.Stop();

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {clock.Elapsed}");
            Assert.True(cts.IsCancellationRequested);
        }

        [Fact]
        public async Task DroppedConnectionIsConnectionFailed()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Drop, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin()));

            var error = await Assert.ThrowsAsync<JiraConnectionException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None));

            Assert.Equal(JiraErrorId.ConnectionFailed, error.ErrorId);
            Assert.Equal(JiraErrorKind.Connection, error.Kind);
            Assert.Equal(emu.BaseUrl + "rest/api/2/serverInfo", error.Target);
            Assert.IsAssignableFrom<HttpRequestException>(error.InnerException);
            var log = await Emu.LogAsync(emu, 1);
            Assert.NotEmpty(log);
            Assert.All(log, r => Assert.Null(r.Status));
        }
    }
}

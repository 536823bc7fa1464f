using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Security;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;

namespace JiraConnect.Core.Tests.Engine
{
    public class ClosedPortTests
    {
        [Fact]
        public async Task ConnectingToAClosedPortIsConnectionFailed()
        {
            int port = FreePort();
            using var client = new JiraClient(new JiraConnectionOptions
            {
                Url = new Uri($"http://127.0.0.1:{port}/"),
                Authentication = Emu.DcAdminPassword(),
                Retry = FastRetry(),
                Timeout = TimeSpan.FromSeconds(10),
            });

            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<JiraConnectionException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve("serverInfo"), null, CancellationToken.None));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

            Assert.Equal(JiraErrorId.ConnectionFailed, error.ErrorId);
            Assert.Equal(JiraErrorKind.Connection, error.Kind);
            Assert.Equal($"http://127.0.0.1:{port}/rest/api/2/serverInfo", error.Target);
            Assert.Contains("refused", error.Message);
            Assert.NotNull(error.InnerException);
        }
    }
}

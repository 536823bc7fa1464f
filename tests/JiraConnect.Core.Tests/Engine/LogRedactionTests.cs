using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Diagnostics;
using JiraConnect.Security;
using JiraConnect.Services;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>With every log level on, the engine's log lines carry method, URL and status but never a secret.</summary>
    public class LogRedactionTests
    {
        private static string Base64(string user, string secret) => Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret));

        private static void AssertNoSecret(CapturingLogSink sink, params string[] secrets)
        {
            Assert.NotEmpty(sink.Lines);
            foreach (var secret in secrets)
                foreach (var (level, message) in sink.Lines)
                    Assert.False(message.Contains(secret, StringComparison.Ordinal), $"{level} line leaks a secret: {message}");
        }

        [Fact]
        public async Task CloudConnectAndProjectListingNeverLogTheToken()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 150, issues: 0);
            var sink = new CapturingLogSink();
            JiraLog.Current = sink;
            try
            {
                // A rate limit on the way, so the retry line is logged too.
                emu.State.AddFault(new FaultSpec { Path = "/rest/api/3/project/search", Kind = FaultKind.Status, Status = 429, RetryAfter = 0, Times = 1 });
                using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());
                var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, 0, long.MaxValue, CancellationToken.None));
                Assert.Equal(150, projects.Count);
                // A request body carrying a secret field (whatever the emulator answers to it).
                await Record.ExceptionAsync(() => JiraRestService.InvokeAsync(session, HttpMethod.Post,
                    JiraRestService.Resolve(session, "/rest/api/3/search/jql", null),
                    "{\"jql\":\"project = DEV\",\"password\":\"" + Emu.CloudToken + "\"}", CancellationToken.None));
            }
            finally
            {
                JiraLog.Current = null;
            }

            AssertNoSecret(sink, Emu.CloudToken, Base64(Emu.CloudEmail, Emu.CloudToken));
            string all = sink.All;
            Assert.Contains($"GET {emu.BaseUrl}rest/api/2/serverInfo → 200", all);
            Assert.Contains($"GET {emu.BaseUrl}rest/api/3/myself → 200", all);
            Assert.Contains($"GET {emu.BaseUrl}rest/api/3/project/search?startAt=0&maxResults=100&orderBy=key → 429", all);
            Assert.Contains($"GET {emu.BaseUrl}rest/api/3/project/search?startAt=0&maxResults=100&orderBy=key → 200", all);
            Assert.Contains($"GET {emu.BaseUrl}rest/api/3/project/search?startAt=100&maxResults=100&orderBy=key → 200", all);
            Assert.Contains("retry 1 of 3", all);
            Assert.Contains(sink.Lines, l => l.Level == JiraLogLevel.Debug && l.Message.StartsWith("Response body:", StringComparison.Ordinal));
            Assert.Contains(sink.Lines, l => l.Level == JiraLogLevel.Debug && l.Message.StartsWith("Request body:", StringComparison.Ordinal)
                && l.Message.Contains("\"password\":\"***\"", StringComparison.Ordinal));
        }

        [Fact]
        public async Task DataCenterPasswordAndTokenAreNeverLogged()
        {
            await using var emu = await EmulatorHarness.DataCenter(projects: 20, issues: 0);
            var sink = new CapturingLogSink();
            JiraLog.Current = sink;
            try
            {
                using (var session = await Emu.ConnectAsync(emu, Emu.DcAdminPassword()))
                    Assert.Equal(20, (await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, 0, long.MaxValue, CancellationToken.None))).Count);
                using (var session = await Emu.ConnectAsync(emu, Emu.DcAdminPat()))
                    Assert.Equal(20, (await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, 0, long.MaxValue, CancellationToken.None))).Count);
            }
            finally
            {
                JiraLog.Current = null;
            }

            AssertNoSecret(sink, Emu.Password, Emu.DcPat, Base64(Emu.DcUser, Emu.Password));
            Assert.Equal(2, sink.Lines.Count(l => l.Message.StartsWith($"GET {emu.BaseUrl}rest/api/2/project → 200 OK (", StringComparison.Ordinal)));
        }

        [Fact]
        public async Task FailedLoginsNeverLogTheSecret()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 1, issues: 0);
            var sink = new CapturingLogSink();
            JiraLog.Current = sink;
            try
            {
                await Assert.ThrowsAnyAsync<JiraException>(() => Emu.ConnectAsync(emu, JiraAuthentication.Basic(Emu.CloudEmail, Secure(Emu.Password))));
                await Assert.ThrowsAnyAsync<JiraException>(() => Emu.ConnectAsync(emu, JiraAuthentication.Basic(Emu.CloudEmail, Secure("ATATT3xFfGF0-wrong-Zz9"))));
            }
            finally
            {
                JiraLog.Current = null;
            }

            AssertNoSecret(sink, Emu.Password, "ATATT3xFfGF0-wrong-Zz9", Base64(Emu.CloudEmail, Emu.Password));
            Assert.Contains($"GET {emu.BaseUrl}rest/api/2/serverInfo → 401", sink.All);
        }
    }
}

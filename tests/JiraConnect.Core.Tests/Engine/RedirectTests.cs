using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.Services;
using JiraConnect.Tests.Engine;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>
    /// Redirects through the real pipeline: the site (the emulator) redirects, "another host" (a recording server on
    /// its own port) records every header and body it receives. Credentials must never reach it, however it answers.
    /// </summary>
    public class RedirectTests
    {
        private const string ServerInfo = "/rest/api/2/serverInfo";
        private static readonly string BasicValue = Convert.ToBase64String(Encoding.UTF8.GetBytes(Emu.CloudEmail + ":" + Emu.CloudToken));

        private static RecordingHttpServer OtherHost(int status) =>
            new RecordingHttpServer(head => (status, "Content-Type: application/json\r\n", "{\"errorMessages\":[\"other host\"]}"));

        private static void AssertNothingSecretReached(RecordingHttpServer other)
        {
            string everything = other.Everything;
            int withCredentials = other.Heads.Count(h => h.IndexOf("Authorization:", StringComparison.OrdinalIgnoreCase) >= 0);
            Assert.True(withCredentials == 0, $"the other host received {other.Heads.Count} requests, {withCredentials} of them with an Authorization header");
            Assert.DoesNotContain("Authorization", everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(BasicValue, everything);
            Assert.DoesNotContain("Bearer", everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Emu.CloudToken, everything);
        }

        private static void AssertRefused(JiraException error, RecordingHttpServer other)
        {
            Assert.Equal(JiraErrorId.RedirectRefused, error.ErrorId);
            Assert.Equal(JiraErrorKind.Security, error.Kind);
            string otherAuthority = other.Url.GetLeftPart(UriPartial.Authority);
            Assert.Contains(otherAuthority, error.Message);
            Assert.Contains("-Url " + otherAuthority + "/", error.RecommendedAction);
        }

        [Theory]
        [InlineData(302, 429)]
        [InlineData(302, 503)]
        [InlineData(307, 503)]
        [InlineData(301, 429)]
        public async Task An_off_site_redirect_is_refused_and_the_other_host_gets_no_credentials(int redirect, int otherStatus)
        {
            await using var emu = await EmulatorHarness.Cloud();
            await using var other = OtherHost(otherStatus);
            emu.State.AddFault(new FaultSpec { Path = ServerInfo, Kind = FaultKind.Redirect, Status = redirect, Location = new Uri(other.Url, "rest/api/2/serverInfo").AbsoluteUri, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin(), FastRetry(maxRetries: 3)));

            var error = await Assert.ThrowsAnyAsync<JiraException>(
                () => client.SendAsync(HttpMethod.Get, client.Resolve(ServerInfo), null, CancellationToken.None));

            AssertNothingSecretReached(other);
            AssertRefused(error, other);
            Assert.Equal(client.Resolve(ServerInfo).AbsoluteUri, error.Target);
            Assert.Empty(other.Heads);
            // Refused at the first answer: the site saw one request, nothing was retried.
            var log = await Emu.LogAsync(emu, 1, ServerInfo);
            Assert.Single(log, r => r.Path == ServerInfo);
        }

        [Fact]
        public async Task A_put_through_a_307_to_another_host_sends_neither_credentials_nor_the_body_there()
        {
            await using var emu = await EmulatorHarness.Cloud();
            await using var other = OtherHost(503);
            const string path = "/rest/api/3/issue/DEV-1";
            emu.State.AddFault(new FaultSpec { Path = path, Method = "PUT", Kind = FaultKind.Redirect, Status = 307, Location = new Uri(other.Url, "rest/api/3/issue/DEV-1").AbsoluteUri, Times = -1 });
            using var client = new JiraClient(Emu.Options(emu, Emu.CloudAdmin(), FastRetry(maxRetries: 3)));

            var error = await Assert.ThrowsAnyAsync<JiraException>(
                () => client.SendAsync(HttpMethod.Put, client.Resolve(path), "{\"fields\":{\"summary\":\"secret-summary\"}}", CancellationToken.None));

            AssertNothingSecretReached(other);
            AssertRefused(error, other);
            Assert.DoesNotContain("secret-summary", other.Everything);
            Assert.Empty(other.Heads);
        }

        [Fact]
        public async Task An_oauth_session_sends_neither_its_token_nor_a_refreshed_one_to_the_host_a_redirect_names()
        {
            await using var harness = await OAuthHarness.StartAsync();
            await using var other = OtherHost(401);
            var token = await harness.NewTokenAsync();
            using var session = await JiraConnector.ConnectAsync(new JiraConnectionOptions
            {
                OAuthToken = token,
                CloudId = OAuthServer.SiteCloudId,
                Authentication = JiraAuthentication.OAuth(token),
                Retry = FastRetry(),
                NoProxy = true,
            }, CancellationToken.None);
            var myself = session.Client.Resolve("myself");
            harness.Emulator.State.AddFault(new FaultSpec { Path = myself.AbsolutePath, Kind = FaultKind.Redirect, Status = 302, Location = new Uri(other.Url, "me").AbsoluteUri, Times = -1 });
            int refreshesBefore = token.RefreshCount;
            string accessToken = new NetworkCredential(string.Empty, token.AccessToken).Password;

            var error = await Assert.ThrowsAnyAsync<JiraException>(
                () => session.Client.SendAsync(HttpMethod.Get, myself, null, CancellationToken.None));

            AssertNothingSecretReached(other);
            AssertRefused(error, other);
            Assert.Empty(other.Heads);
            Assert.DoesNotContain(accessToken, other.Everything);
            // The other host triggered no refresh either, so no fresh token was minted for it.
            Assert.Equal(refreshesBefore, token.RefreshCount);
        }

        [Fact]
        public async Task A_redirect_on_the_same_site_is_followed_with_credentials_and_leaves_the_callers_request_untouched()
        {
            await using var emu = await EmulatorHarness.Cloud();
            const string moved = "/rest/api/2/serverInfo-moved";
            emu.State.AddFault(new FaultSpec { Path = moved, Kind = FaultKind.Redirect, Status = 302, Location = new Uri(emu.BaseUrl, ServerInfo.TrimStart('/')).AbsoluteUri, Times = -1 });
            var options = Emu.Options(emu, Emu.CloudAdmin());

            using (var http = JiraHttpPipeline.Create(options))
            using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emu.BaseUrl, moved.TrimStart('/'))))
            {
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("\"deploymentType\":\"Cloud\"", await response.Content.ReadAsStringAsync());
                // Each hop and attempt is a fresh message: the caller's own request is neither redirected nor given credentials.
                Assert.Equal(new Uri(emu.BaseUrl, moved.TrimStart('/')), request.RequestUri);
                Assert.Null(request.Headers.Authorization);
            }

            var log = await Emu.LogAsync(emu, 2);
            Assert.Equal(new[] { moved, ServerInfo }, log.Select(r => r.Path).ToArray());
            Assert.All(log, r => Assert.Equal("Basic", r.AuthScheme));
        }

        [Fact]
        public async Task Credentials_are_added_only_for_the_sessions_own_origin()
        {
            await using var other = OtherHost(200);
            var options = new JiraConnectionOptions
            {
                Url = new Uri("http://127.0.0.1:1/"),
                Authentication = Emu.CloudAdmin(),
                Retry = FastRetry(0),
                NoProxy = true,
            };

            // A URL handed straight to the pipeline, past the client's own site check: sent, but without credentials.
            using (var http = JiraHttpPipeline.Create(options))
            using (var response = await http.GetAsync(new Uri(other.Url, "rest/api/2/myself")))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            Assert.Single(other.Heads);
            AssertNothingSecretReached(other);
        }

        [Fact]
        public async Task An_origin_the_session_trusts_gets_credentials_and_no_other_does()
        {
            await using var gateway = OtherHost(200);
            await using var other = OtherHost(200);
            var options = new JiraConnectionOptions
            {
                Url = new Uri("http://127.0.0.1:1/"),
                Authentication = Emu.CloudAdmin(),
                Retry = FastRetry(0),
                NoProxy = true,
            };
            var origins = new CredentialOrigins(options.Url);
            origins.Trust(new Uri(gateway.Url, "automation/public/jira/x/rest/v1/rules"));

            using (var http = JiraHttpPipeline.Create(options, origins))
            {
                using (var response = await http.GetAsync(new Uri(gateway.Url, "rest/api/2/myself"))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using (var response = await http.GetAsync(new Uri(other.Url, "rest/api/2/myself"))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            Assert.Contains(gateway.Heads, head => head.IndexOf("Authorization: Basic ", StringComparison.OrdinalIgnoreCase) >= 0);
            Assert.Single(other.Heads);
            AssertNothingSecretReached(other);
        }
    }
}

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.Services;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>Opening sessions against the emulator, and the errors a failed connection maps to.</summary>
    public class ConnectorTests
    {
        [Fact]
        public async Task CloudWithApiToken()
        {
            await using var emu = await EmulatorHarness.Cloud();
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());

            Assert.Equal("Cloud", session.DeploymentType);
            Assert.True(session.IsCloud);
            Assert.Equal("3", session.RestApiVersion);
            Assert.EndsWith("/rest/api/3/", session.ApiBaseUrl.AbsoluteUri);
            Assert.Equal(emu.BaseUrl, session.SiteUrl);
            Assert.Equal(nameof(JiraAuthenticationType.ApiToken), session.AuthenticationType);
            Assert.Equal(Emu.CloudAccountId, session.User.AccountId);
            Assert.Equal(Emu.CloudAccountId, session.User.Id);
            Assert.Equal("Ada Admin", session.User.DisplayName);
            Assert.Equal("127.0.0.1", session.Name);

            var paths = (await Emu.LogAsync(emu, 2)).Select(r => r.Path).ToArray();
            Assert.Equal(new[] { "/rest/api/2/serverInfo", "/rest/api/3/myself" }, paths);
        }

        [Fact]
        public async Task DataCenterWithPassword()
        {
            await using var emu = await EmulatorHarness.DataCenter();
            using var session = await Emu.ConnectAsync(emu, Emu.DcAdminPassword());

            Assert.Equal("DataCenter", session.DeploymentType);
            Assert.False(session.IsCloud);
            Assert.EndsWith("/rest/api/2/", session.ApiBaseUrl.AbsoluteUri);
            Assert.Equal(nameof(JiraAuthenticationType.Password), session.AuthenticationType);
            Assert.Equal("admin", session.User.Name);
            Assert.Equal("admin", session.User.Id);
            var log = await Emu.LogAsync(emu, 2);
            Assert.Equal(2, log.Count);
            Assert.All(log, r => Assert.Equal("Basic", r.AuthScheme));
        }

        [Fact]
        public async Task DataCenterWithPersonalAccessToken()
        {
            await using var emu = await EmulatorHarness.DataCenter();
            using var session = await Emu.ConnectAsync(emu, Emu.DcAdminPat());

            Assert.Equal("DataCenter", session.DeploymentType);
            Assert.EndsWith("/rest/api/2/", session.ApiBaseUrl.AbsoluteUri);
            Assert.Equal(nameof(JiraAuthenticationType.PersonalAccessToken), session.AuthenticationType);
            Assert.Equal("admin", session.User.Name);
            var log = await Emu.LogAsync(emu, 2);
            Assert.Equal(2, log.Count);
            Assert.All(log, r => Assert.Equal("Bearer", r.AuthScheme));
        }

        [Fact]
        public async Task AuthenticationIsPreemptive()
        {
            await using var emu = await EmulatorHarness.Cloud();
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());

            var log = await Emu.LogAsync(emu, 2);
            Assert.Equal(2, log.Count);
            Assert.Equal("Basic", log[0].AuthScheme);
            Assert.All(log, r => Assert.Equal("Basic", r.AuthScheme));
            Assert.All(log, r => Assert.Equal(200, r.Status));
        }

        [Fact]
        public async Task SessionNameAndSiteUrlPathAreKept()
        {
            await using var emu = await EmulatorHarness.Cloud();
            var options = Emu.Options(emu, Emu.CloudAdmin());
            options.Name = "prod";
            options.Url = new Uri(emu.BaseUrl, "rest/api/3/myself");
            using var session = await JiraConnector.ConnectAsync(options, CancellationToken.None);
            Assert.Equal("prod", session.Name);
            Assert.Equal(emu.BaseUrl, session.SiteUrl);
        }

        [Fact]
        public async Task WrongApiTokenIsAuthenticatedAsAnonymous()
        {
            await using var emu = await EmulatorHarness.Cloud();
            var error = await Assert.ThrowsAsync<JiraAuthenticationException>(
                () => Emu.ConnectAsync(emu, JiraAuthentication.Basic(Emu.CloudEmail, Secure("ATATT3xFfGF0-not-the-token"))));

            Assert.Equal(JiraErrorId.AuthenticatedAsAnonymous, error.ErrorId);
            Assert.Equal(HttpStatusCode.OK, error.StatusCode);
            // Caught on the first (anonymous-capable) request, before anything is read as ANONYMOUS.
            var only = Assert.Single(await Emu.LogAsync(emu, 1));
            Assert.Equal("/rest/api/2/serverInfo", only.Path);
            Assert.Equal(200, only.Status);
            Assert.Equal("Basic", only.AuthScheme);
        }

        [Fact]
        public async Task PasswordOnCloudIsApiTokenRequired()
        {
            await using var emu = await EmulatorHarness.Cloud();
            var error = await Assert.ThrowsAsync<JiraAuthenticationException>(
                () => Emu.ConnectAsync(emu, JiraAuthentication.Basic(Emu.CloudEmail, Secure(Emu.Password))));

            Assert.Equal(JiraErrorId.ApiTokenRequired, error.ErrorId);
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
            Assert.DoesNotContain(Emu.Password, error.Message);
        }

        [Fact]
        public async Task CaptchaLockedAccountIsCaptchaRequired()
        {
            await using var emu = await EmulatorHarness.Cloud();
            var error = await Assert.ThrowsAsync<JiraAuthenticationException>(
                () => Emu.ConnectAsync(emu, JiraAuthentication.Basic(Emu.CaptchaEmail, Secure(Emu.CaptchaToken))));

            Assert.Equal(JiraErrorId.CaptchaRequired, error.ErrorId);
            Assert.Equal(JiraErrorKind.Authentication, error.Kind);
        }

        [Fact]
        public async Task DataCenterWithBasicDisabledIsBasicAuthDisabled()
        {
            await using var emu = await EmulatorHarness.DataCenter();
            emu.State.BasicAuthEnabled = false;

            var error = await Assert.ThrowsAnyAsync<JiraApiException>(() => Emu.ConnectAsync(emu, Emu.DcAdminPassword()));
            Assert.Equal(JiraErrorId.BasicAuthDisabled, error.ErrorId);
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Equal("Basic Authentication has been disabled on this instance.", Assert.Single(error.ErrorMessages));
        }

        [Fact]
        public async Task DataCenterWithBasicDisabledStillAcceptsAPersonalAccessToken()
        {
            await using var emu = await EmulatorHarness.DataCenter();
            emu.State.BasicAuthEnabled = false;
            using var session = await Emu.ConnectAsync(emu, Emu.DcAdminPat());
            Assert.Equal(nameof(JiraAuthenticationType.PersonalAccessToken), session.AuthenticationType);
        }

        [Fact]
        public async Task WrongPersonalAccessTokenIsAuthenticationFailed()
        {
            await using var emu = await EmulatorHarness.DataCenter();
            var error = await Assert.ThrowsAsync<JiraAuthenticationException>(
                () => Emu.ConnectAsync(emu, JiraAuthentication.Bearer(Secure("NjQ4MzE-not-a-pat"))));
            Assert.Equal(JiraErrorId.AuthenticationFailed, error.ErrorId);
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
            Assert.Contains("not authenticated", Assert.Single(error.ErrorMessages));
        }

        [Fact]
        public async Task SsoLoginPageIsHtmlLoginPage()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Kind = FaultKind.Html, Times = -1 });

            var error = await Assert.ThrowsAsync<JiraProtocolException>(() => Emu.ConnectAsync(emu, Emu.CloudAdmin()));
            Assert.Equal(JiraErrorId.HtmlLoginPage, error.ErrorId);
            Assert.Equal(JiraErrorKind.Protocol, error.Kind);
        }

        [Fact]
        public async Task MalformedJsonIsInvalidJsonResponse()
        {
            await using var emu = await EmulatorHarness.Cloud();
            emu.State.AddFault(new FaultSpec { Kind = FaultKind.MalformedJson, Times = -1 });

            var error = await Assert.ThrowsAsync<JiraProtocolException>(() => Emu.ConnectAsync(emu, Emu.CloudAdmin()));
            Assert.Equal(JiraErrorId.InvalidJsonResponse, error.ErrorId);
            Assert.Equal(emu.BaseUrl + "rest/api/2/serverInfo", error.Target);
        }

        [Fact]
        public async Task MalformedJsonThroughTheRestServiceIsInvalidJsonResponse()
        {
            await using var emu = await EmulatorHarness.Cloud();
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());
            emu.State.AddFault(new FaultSpec { Path = "/rest/api/3/project/search", Kind = FaultKind.MalformedJson });

            var error = await Assert.ThrowsAsync<JiraProtocolException>(() => JiraRestService.InvokeAsync(
                session, HttpMethod.Get, JiraRestService.Resolve(session, "project/search", null), null, CancellationToken.None));
            Assert.Equal(JiraErrorId.InvalidJsonResponse, error.ErrorId);
        }

        [Fact]
        public async Task NotFoundSurfacesJirasErrorMessages()
        {
            await using var emu = await EmulatorHarness.Cloud();
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());

            var error = await Assert.ThrowsAsync<JiraNotFoundException>(() => JiraRestService.InvokeAsync(
                session, HttpMethod.Get, JiraRestService.Resolve(session, "project/NOPE", null), null, CancellationToken.None));

            Assert.Equal(JiraErrorId.NotFound, error.ErrorId);
            Assert.Equal(JiraErrorKind.NotFound, error.Kind);
            Assert.Equal("No project could be found with key 'NOPE'.", Assert.Single(error.ErrorMessages));
            Assert.Contains("No project could be found with key 'NOPE'.", error.Message);
            Assert.Equal(emu.BaseUrl + "rest/api/3/project/NOPE", error.Target);
        }

        [Fact]
        public async Task ServerInfoAndMyselfAreReadThroughTheRestService()
        {
            await using var emu = await EmulatorHarness.DataCenter();
            using var session = await Emu.ConnectAsync(emu, Emu.DcAdminPat());

            var result = await JiraRestService.InvokeAsync(session, HttpMethod.Get, JiraRestService.Resolve(session, "myself", null), null, CancellationToken.None);
            Assert.Equal(200, result.StatusCode);
            var me = Assert.IsType<System.Collections.Specialized.OrderedDictionary>(result.Content);
            Assert.Equal("admin", me["name"]);
            Assert.Equal("admin", result.Headers["X-AUSERNAME"]);
        }
    }
}

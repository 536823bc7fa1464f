using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Security;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;

namespace JiraConnect.Core.Tests.Engine
{
    public class TransportSecurityTests
    {
        [Fact]
        public async Task CredentialsToPlainHttpOnAnotherHostAreRefusedBeforeAnyRequest()
        {
            await using var proxy = new RecordingHttpServer();
            var options = new JiraConnectionOptions
            {
                Url = new Uri("http://jira.example.com"),
                Authentication = Emu.DcAdminPassword(),
                Proxy = proxy.Url,
                Retry = FastRetry(),
            };

            var error = Assert.ThrowsAny<JiraException>(() => new JiraClient(options));
            Assert.Equal(JiraErrorId.UnencryptedAuthenticationRefused, error.ErrorId);
            Assert.Equal(JiraErrorKind.Security, error.Kind);
            Assert.Equal("http://jira.example.com/", error.Target);
            Assert.Contains("-AllowUnencryptedAuthentication", error.RecommendedAction);

            // The handler enforces the same rule per request, whatever URL a caller hands the pipeline.
            using (var http = JiraHttpPipeline.Create(options))
            {
                var perRequest = await Assert.ThrowsAnyAsync<JiraException>(
                    () => http.GetAsync("http://jira.example.com/rest/api/2/myself"));
                Assert.Equal(JiraErrorId.UnencryptedAuthenticationRefused, perRequest.ErrorId);
            }
            Assert.Equal(0, proxy.Connections);
        }

        [Fact]
        public async Task AllowUnencryptedAuthenticationSendsTheRequest()
        {
            await using var proxy = new RecordingHttpServer("{\"deploymentType\":\"Server\",\"version\":\"9.12.0\"}");
            using var client = new JiraClient(new JiraConnectionOptions
            {
                Url = new Uri("http://jira.example.com"),
                Authentication = Emu.DcAdminPassword(),
                AllowUnencryptedAuthentication = true,
                Proxy = proxy.Url,
                Retry = FastRetry(),
                Timeout = TimeSpan.FromSeconds(10),
            });

            var response = await client.SendAsync(HttpMethod.Get, client.Resolve("serverInfo"), null, CancellationToken.None);
            Assert.Equal(200, (int)response.StatusCode);

            string head = Assert.Single(proxy.Heads);
            Assert.StartsWith("GET http://jira.example.com/rest/api/2/serverInfo HTTP/1.1", head);
            Assert.Contains("Authorization: Basic ", head);
        }

        [Theory]
        [InlineData("http://127.0.0.1:1/")]
        [InlineData("http://localhost:1/")]
        [InlineData("http://[::1]:1/")]
        public void LoopbackHttpIsAllowedWithCredentials(string url)
        {
            using var client = new JiraClient(new JiraConnectionOptions { Url = new Uri(url), Authentication = Emu.DcAdminPassword() });
            Assert.Equal(new Uri(url), client.SiteUrl);
            Assert.True(JiraHttpPipeline.IsLoopback(client.SiteUrl));
        }

        [Fact]
        public void HttpWithoutCredentialsIsAllowed()
        {
            using var client = new JiraClient(new JiraConnectionOptions { Url = new Uri("http://jira.example.com/jira") });
            Assert.Equal("http://jira.example.com/jira/rest/api/2/", client.ApiBaseUrl.ToString());
        }

        [Fact]
        public void HttpsIsAllowedWithCredentials()
        {
            using var client = new JiraClient(new JiraConnectionOptions { Url = new Uri("https://jira.example.com"), Authentication = Emu.DcAdminPassword() });
            Assert.Equal("https://jira.example.com/", client.SiteUrl.ToString());
        }

        [Theory]
        [InlineData("https://admin:secret@jira.example.com/")]
        [InlineData("ftp://jira.example.com/")]
        public void BadSiteUrlsAreRefusedWithoutEchoingSecrets(string url)
        {
            var error = Assert.ThrowsAny<JiraException>(() => new JiraClient(new JiraConnectionOptions { Url = new Uri(url) }));
            Assert.Equal(JiraErrorId.InvalidUrl, error.ErrorId);
            Assert.DoesNotContain("secret", error.Target ?? string.Empty);
            Assert.DoesNotContain("secret", error.Message);
        }

        [Fact]
        public void ResolveRefusesAbsoluteUrlsOnOtherHosts()
        {
            using var client = new JiraClient(new JiraConnectionOptions { Url = new Uri("https://example.atlassian.net/rest/api/3/") });
            Assert.Equal("https://example.atlassian.net/", client.SiteUrl.ToString());
            Assert.Equal("https://example.atlassian.net/rest/api/2/myself", client.Resolve("myself").ToString());
            Assert.Equal("https://example.atlassian.net/rest/api/3/myself", client.Resolve("/rest/api/3/myself").ToString());
            var error = Assert.ThrowsAny<JiraException>(() => client.Resolve("https://evil.example.com/rest/api/3/myself"));
            Assert.Equal(JiraErrorId.InvalidUrl, error.ErrorId);
        }
    }
}

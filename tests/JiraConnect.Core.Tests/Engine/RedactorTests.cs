using System;
using JiraConnect.Security;
using Xunit;

namespace JiraConnect.Core.Tests.Engine
{
    public class RedactorTests
    {
        private const string Token = "ATATT3xFfGF0-emu-admin-Q7rT9vK2pL";
        private const string BasicValue = "YWRtaW5AZXhhbXBsZS5jb206QVRBVFQzeEZmR0YwLWVtdS1hZG1pbi1RN3JUOXZLMnBM";

        [Theory]
        [InlineData("Authorization: Basic " + BasicValue, "Authorization: Basic ***")]
        [InlineData("authorization: basic " + BasicValue, "authorization: basic ***")]
        [InlineData("Authorization: Bearer NjQ4MzE-emu-pat-admin-R8sK2wQ5vX", "Authorization: Bearer ***")]
        [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "Bearer ***")]
        // Header values are credentials whatever they look like: base64("user:pass") is letters only.
        [InlineData("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic ***")]
        [InlineData("Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: Basic ***")]
        [InlineData("Authorization: Basic amlyYTpTZWNyZXQ=", "Authorization: Basic ***")]
        [InlineData("Authorization: Bearer qWeRtYuIoPaSdFgHjKlZxCvBnMqWeRtY", "Authorization: Bearer ***")]
        public void MasksAuthorizationValues(string input, string expected)
        {
            Assert.Equal(expected, Redactor.Text(input));
        }

        [Theory]
        [InlineData("https://auth.atlassian.com/callback?code=abc123&state=xyz", "https://auth.atlassian.com/callback?code=***&state=xyz")]
        [InlineData("https://x.example/?access_token=SECRET1#frag", "https://x.example/?access_token=***#frag")]
        [InlineData("https://x.example/p?a=1&refresh_token=SECRET2&b=2", "https://x.example/p?a=1&refresh_token=***&b=2")]
        [InlineData("https://x.example/p?client_secret=S3&password=P4&api_key=K5&token=T6",
            "https://x.example/p?client_secret=***&password=***&api_key=***&token=***")]
        [InlineData("https://x.example/p?CLIENT_SECRET=S3", "https://x.example/p?CLIENT_SECRET=***")]
        public void MasksSecretQueryParameters(string input, string expected)
        {
            Assert.Equal(expected, Redactor.Text(input));
            Assert.Equal(expected, Redactor.Url(new Uri(input)));
        }

        [Fact]
        public void KeepsOrdinaryQueryParameters()
        {
            const string url = "https://example.atlassian.net/rest/api/3/search/jql?jql=project%3DDEV&nextPageToken=abc&maxResults=50&state=s1";
            Assert.Equal(url, Redactor.Url(new Uri(url)));
        }

        [Fact]
        public void MasksJsonSecretFields()
        {
            const string body = "{\"grant_type\":\"refresh_token\",\"client_id\":\"cid-1\",\"client_secret\":\"cs-SECRET\","
                + "\"refresh_token\":\"rt-SECRET\",\"access_token\" : \"at-SECRET\",\"password\":\"pw \\\"quoted\\\" SECRET\",\"apiToken\":\"tok-SECRET\",\"code\":\"code-SECRET\"}";
            string redacted = Redactor.Text(body);

            Assert.DoesNotContain("SECRET", redacted);
            Assert.Contains("\"client_id\":\"cid-1\"", redacted);
            Assert.Contains("\"grant_type\":\"refresh_token\"", redacted);
            Assert.Contains("\"client_secret\":\"***\"", redacted);
            Assert.Contains("\"access_token\" : \"***\"", redacted);
            Assert.Contains("\"password\":\"***\"", redacted);
            // Still valid JSON after masking.
            System.Text.Json.JsonDocument.Parse(redacted).Dispose();
        }

        [Theory]
        [InlineData("https://admin:Adm1n-Passw0rd!@jira.example.com/rest/api/2/myself", "https://***@jira.example.com/rest/api/2/myself")]
        [InlineData("connect to http://admin%40example.com:tok@jira.example.com/ failed", "connect to http://***@jira.example.com/ failed")]
        public void MasksUserInfoInUrls(string input, string expected)
        {
            Assert.Equal(expected, Redactor.Text(input));
            Assert.DoesNotContain("Passw0rd", Redactor.Text(input));
        }

        [Theory]
        [InlineData("GET https://example.atlassian.net/rest/api/3/project/search?startAt=0&maxResults=100 → 200 OK (12 ms)")]
        [InlineData("Contact admin@example.com for access to project DEV.")]
        [InlineData("{\"key\":\"DEV\",\"name\":\"Development\",\"projectTypeKey\":\"software\"}")]
        [InlineData("The issue summary mentions a token and a password but has no values.")]
        [InlineData("Basic Authentication has been disabled on this instance.")]
        [InlineData("Use Basic authentication with your email and an API token.")]
        [InlineData("Bearer tokens are used by OAuth apps.")]
        public void LeavesOrdinaryTextUntouched(string text)
        {
            Assert.Equal(text, Redactor.Text(text));
        }

        [Fact]
        public void HandlesEmptyInput()
        {
            Assert.Equal(string.Empty, Redactor.Text(null));
            Assert.Equal(string.Empty, Redactor.Text(string.Empty));
            Assert.Equal(string.Empty, Redactor.Url(null));
        }

        [Theory]
        [InlineData("Authorization", true)]
        [InlineData("proxy-authorization", true)]
        [InlineData("Cookie", true)]
        [InlineData("Set-Cookie", true)]
        [InlineData("Content-Type", false)]
        [InlineData("X-AAccountId", false)]
        public void KnowsSecretHeaders(string name, bool secret)
        {
            Assert.Equal(secret, Redactor.IsSecretHeader(name));
        }

        public static TheoryData<string> SecretNames()
        {
            var data = new TheoryData<string>();
            foreach (var name in Redactor.SecretNames) data.Add(name);
            return data;
        }

        [Theory]
        [MemberData(nameof(SecretNames))]
        public void EverySecretNameIsMaskedAsQueryParameterFormFieldJsonPropertyAndHeader(string name)
        {
            foreach (var spelling in new[] { name, name.ToUpperInvariant() })
            {
                Assert.Equal($"https://x.example/p?a=1&{spelling}=***&b=2", Redactor.Url(new Uri($"https://x.example/p?a=1&{spelling}=s3cr3t-V4lue&b=2")));
                Assert.Equal($"https://x.example/p?{spelling}=***", Redactor.Text($"https://x.example/p?{spelling}=s3cr3t-V4lue"));
                Assert.Equal($"{spelling}=***&grant_type=x", Redactor.Text($"{spelling}=s3cr3t-V4lue&grant_type=x"));
                Assert.Equal($"{{\"{spelling}\":\"***\",\"key\":\"DEV\"}}", Redactor.Text($"{{\"{spelling}\":\"s3cr3t-V4lue\",\"key\":\"DEV\"}}"));
            }
            Assert.True(Redactor.IsSecretNamedHeader(name));
            Assert.True(Redactor.IsSecretNamedHeader("X-" + name.Replace('_', '-')));
        }

        [Theory]
        [InlineData("api_token")]
        [InlineData("apiToken")]
        [InlineData("id_token")]
        [InlineData("apikey")]
        [InlineData("jwt")]
        public void QueryAndJsonShareOneList(string name)
        {
            // Names that were masked in one place and shown in the other.
            Assert.Contains(name, Redactor.SecretNames, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("V4lue", Redactor.Url(new Uri($"https://x.example/rest/api/3/myself?{name}=V4lue")));
            Assert.DoesNotContain("V4lue", Redactor.Text($"{{\"{name}\":\"V4lue\"}}"));
        }
    }
}

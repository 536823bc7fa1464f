#nullable enable
using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.OAuth;
using JiraConnect.Security;
using JiraConnect.Services;
using JiraConnect.Tests.Engine;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>Jira answers through the API gateway (/ex/jira/{cloudId}/rest/api/3/...) conform to the Cloud document like the site's own.</summary>
public sealed class GatewayContractTests
{
    [Theory]
    [InlineData("rest/api/3/myself")]
    [InlineData("rest/api/3/serverInfo")]
    [InlineData("rest/api/3/project/search?maxResults=3")]
    [InlineData("rest/api/3/project/DEV")]
    [InlineData("rest/api/3/search/jql?jql=project%3DDEV&fields=summary,status")]
    public async Task Gateway_answers_to_an_OAuth_token_conform(string path)
    {
        await using var h = await OAuthHarness.StartAsync();
        var token = await h.NewTokenAsync();
        using var http = new HttpClient { BaseAddress = new Uri(h.Emulator.BaseUrl, $"ex/jira/{OAuthServer.SiteCloudId}/") };
        http.DefaultRequestHeaders.Authorization = await token.GetHeaderAsync(false, CancellationToken.None);

        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var apiResponse = new ApiResponse
        {
            Method = "GET",
            Path = "/" + path.Split('?')[0],
            Status = (int)response.StatusCode,
            MediaType = response.Content.Headers.ContentType?.MediaType,
            Body = body,
            Headers = response.Headers,
            ContentHeaders = response.Content.Headers,
        };
        OpenApiContract.AssertConforms(ReferenceDocuments.Cloud, apiResponse);
        // Links point back through the gateway.
        if (apiResponse.Json.ValueKind == JsonValueKind.Object && apiResponse.Json.TryGetProperty("self", out var self))
        {
            Assert.StartsWith(new Uri(h.Emulator.BaseUrl, $"ex/jira/{OAuthServer.SiteCloudId}/rest/api/3/").AbsoluteUri, self.GetString());
        }
    }

    [Fact]
    public async Task Gateway_refuses_missing_tokens_missing_scopes_and_classic_api_tokens_with_its_own_body()
    {
        await using var h = await OAuthHarness.StartAsync();
        var request = h.NewRequest("read:jira-work");
        var code = JiraOAuthService.ReadAuthorizationResponse(request, (await h.ConsentAsync(request)).AbsoluteUri);
        var workOnly = await JiraOAuthService.ExchangeCodeAsync(request, h.Secret, code, null, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(h.Emulator.BaseUrl, $"ex/jira/{OAuthServer.SiteCloudId}/rest/api/3/") };

        async Task<(int, string)> Get(string path, AuthenticationHeaderValue? auth)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = auth } };
            using var response = await http.SendAsync(message);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal((401, "{\"code\":401,\"message\":\"Unauthorized\"}"), await Get("project/search", null));
        Assert.Equal((401, "{\"code\":401,\"message\":\"Unauthorized; scope does not match\"}"), await Get("myself", await workOnly.GetHeaderAsync(false, CancellationToken.None)));
        Assert.Equal(200, (await Get("project/search", await workOnly.GetHeaderAsync(false, CancellationToken.None))).Item1);
        var classic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin@example.com:ATATT3xFfGF0-emu-admin-Q7rT9vK2pL")));
        Assert.Equal(401, (await Get("myself", classic)).Item1);
        var scoped = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin@example.com:ATSTT3xFfGF0-emu-scoped-admin-H6gN3xV9")));
        Assert.Equal(200, (await Get("myself", scoped)).Item1);
    }

    [Fact]
    public async Task Accessible_resources_list_the_granted_site_per_product()
    {
        await using var h = await OAuthHarness.StartAsync();
        var token = await h.NewTokenAsync();
        var resources = await JiraOAuthService.GetAccessibleResourcesAsync(token, CancellationToken.None);
        var jira = Assert.Single(resources);
        Assert.Equal(OAuthServer.SiteCloudId, jira.CloudId);
        Assert.Equal(h.Emulator.BaseUrl, jira.Url);
        Assert.Equal(["read:jira-work", "read:jira-user"], jira.Scopes);
        Assert.True(jira.IsJira);
    }
}

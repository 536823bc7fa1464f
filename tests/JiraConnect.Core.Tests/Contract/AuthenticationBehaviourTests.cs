#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>Authentication as the facts file describes it: anonymous fallback, deprecations, CAPTCHA, PATs.</summary>
public sealed class AuthenticationBehaviourTests
{
    private const string NotAuthenticated = "You are not authenticated. Authentication required to perform this operation.";

    [Fact]
    public async Task Cloud_valid_token_is_authenticated_with_account_id_header()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var admin = await emulator.GetAsync("rest/api/3/myself", Seeded.CloudAdmin);
        var limited = await emulator.GetAsync("rest/api/3/project", Seeded.CloudLimited);

        Assert.Equal(200, admin.Status);
        Assert.Equal(Seeded.CloudAdminAccountId, admin.Header("X-AAccountId"));
        Assert.Equal("OK", admin.Header("X-Seraph-LoginReason"));
        Assert.Equal(Seeded.CloudLimitedAccountId, limited.Header("X-AAccountId"));
    }

    [Theory]
    [InlineData(EmulatorFlavor.Cloud, "rest/api/3/serverInfo")]
    [InlineData(EmulatorFlavor.Cloud, "rest/api/3/project")]
    [InlineData(EmulatorFlavor.Cloud, "rest/api/3/search/jql?jql=summary~vpn")]
    [InlineData(EmulatorFlavor.DataCenter, "rest/api/2/serverInfo")]
    [InlineData(EmulatorFlavor.DataCenter, "rest/api/2/project")]
    [InlineData(EmulatorFlavor.DataCenter, "rest/api/2/search")]
    public async Task Wrong_secret_on_an_anonymous_endpoint_is_answered_as_anonymous(EmulatorFlavor flavor, string path)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var response = await emulator.GetAsync(path, Seeded.WrongSecret(flavor));

        Assert.Equal(200, response.Status);
        Assert.Equal("AUTHENTICATED_FAILED", response.Header("X-Seraph-LoginReason"));
        Assert.Null(response.Header("X-AAccountId"));
        OpenApiContract.AssertConforms(emulator.Document, response);
        if (path.Contains("/project", StringComparison.Ordinal))
        {
            Assert.Equal(0, response.Json.GetArrayLength());
        }
        else if (path.Contains("/search", StringComparison.Ordinal))
        {
            Assert.Empty(response.Json.GetProperty("issues").EnumerateArray());
        }
    }

    [Fact]
    public async Task Cloud_wrong_token_on_project_search_finds_nothing_and_is_404()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var wrong = await emulator.GetValidAsync("rest/api/3/project/search", Seeded.CloudWrongToken, 404);
        var unknownUser = await emulator.GetValidAsync("rest/api/3/project/search", Seeded.CloudUnknownUser, 404);

        Assert.Equal("AUTHENTICATED_FAILED", wrong.Header("X-Seraph-LoginReason"));
        Assert.Equal("AUTHENTICATED_FAILED", unknownUser.Header("X-Seraph-LoginReason"));
    }

    [Theory]
    [InlineData(EmulatorFlavor.Cloud, "rest/api/3/myself")]
    [InlineData(EmulatorFlavor.Cloud, "rest/api/3/issue/DEV-1")]
    [InlineData(EmulatorFlavor.DataCenter, "rest/api/2/myself")]
    [InlineData(EmulatorFlavor.DataCenter, "rest/api/2/issue/DEV-1")]
    public async Task Wrong_secret_elsewhere_is_401_with_the_failed_header(EmulatorFlavor flavor, string path)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var response = await emulator.GetValidAsync(path, Seeded.WrongSecret(flavor), 401);

        Assert.Equal("AUTHENTICATED_FAILED", response.Header("X-Seraph-LoginReason"));
        Assert.Equal(NotAuthenticated, response.Json.GetProperty("errorMessages")[0].GetString());
        Assert.Empty(response.Json.GetProperty("errors").EnumerateObject());
    }

    [Theory]
    [InlineData(EmulatorFlavor.Cloud)]
    [InlineData(EmulatorFlavor.DataCenter)]
    public async Task No_credentials_is_anonymous_without_the_seraph_header(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var projects = await emulator.GetValidAsync($"{emulator.Api}/project", null, 200);
        var myself = await emulator.GetValidAsync($"{emulator.Api}/myself", null, 401);

        Assert.Null(projects.Header("X-Seraph-LoginReason"));
        Assert.Null(myself.Header("X-Seraph-LoginReason"));
        Assert.Equal(0, projects.Json.GetArrayLength());
    }

    [Fact]
    public async Task Cloud_password_instead_of_token_is_refused_with_the_deprecation_text()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        foreach (var path in new[] { "rest/api/3/myself", "rest/api/3/serverInfo" })
        {
            var response = await emulator.GetAsync(path, Seeded.CloudAdminPassword);

            Assert.Equal(401, response.Status);
            Assert.Equal("text/plain", response.MediaType);
            Assert.Equal(
                "Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/",
                response.Body);
        }
    }

    [Theory]
    [InlineData(EmulatorFlavor.Cloud)]
    [InlineData(EmulatorFlavor.DataCenter)]
    public async Task Captcha_user_is_denied_whatever_the_secret(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var user = flavor == EmulatorFlavor.Cloud ? "captcha@example.com" : "captcha";

        foreach (var credential in new[] { Seeded.Captcha(flavor), Credential.Basic(user, "anything") })
        {
            foreach (var path in new[] { $"{emulator.Api}/myself", $"{emulator.Api}/serverInfo" })
            {
                var response = await emulator.GetAsync(path, credential);

                Assert.Equal(403, response.Status);
                Assert.Equal("AUTHENTICATION_DENIED", response.Header("X-Seraph-LoginReason"));
                Assert.Equal($"CAPTCHA_CHALLENGE; login-url={emulator.State.BaseUrl}login.jsp", response.Header("X-Authentication-Denied-Reason"));
                Assert.Contains("CAPTCHA", response.Json.GetProperty("errorMessages")[0].GetString());
                Assert.Empty(emulator.Document.Validator.Validate(emulator.Document.Schema("ErrorCollection"), response.Json));
            }
        }
    }

    [Fact]
    public async Task Cloud_refuses_bearer_tokens()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var pat = await emulator.GetAsync("rest/api/3/myself", Seeded.DataCenterAdminPat);
        var tokenAsBearer = await emulator.GetAsync("rest/api/3/project", Credential.Bearer("ATATT3xFfGF0-emu-admin-Q7rT9vK2pL"));

        Assert.Equal(401, pat.Status);
        Assert.Equal(401, tokenAsBearer.Status);
        Assert.Equal(NotAuthenticated, tokenAsBearer.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Fact]
    public async Task DataCenter_accepts_personal_access_tokens_and_refuses_bad_ones()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);

        var admin = await emulator.GetValidAsync("rest/api/2/myself", Seeded.DataCenterAdminPat, 200);
        var limited = await emulator.GetValidAsync("rest/api/2/project", Seeded.DataCenterLimitedPat, 200);
        var wrong = await emulator.GetValidAsync("rest/api/2/project", Seeded.DataCenterWrongPat, 401);

        Assert.Equal("admin", admin.Json.GetProperty("name").GetString());
        Assert.Equal("admin", admin.Header("X-AUSERNAME"));
        Assert.Equal(13, limited.Json.GetArrayLength());
        Assert.Equal(NotAuthenticated, wrong.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Fact]
    public async Task DataCenter_with_basic_auth_disabled_refuses_every_basic_request_but_takes_pats()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);
        emulator.State.UpdateSettings(new EmulatorSettings { BasicAuthEnabled = false });

        foreach (var credential in new[] { Seeded.DataCenterAdmin, Seeded.DataCenterWrongPassword, Seeded.DataCenterCaptcha })
        {
            var refused = await emulator.GetAsync("rest/api/2/serverInfo", credential);

            Assert.Equal(403, refused.Status);
            Assert.Equal("""{"message":"Basic Authentication has been disabled on this instance."}""", refused.Body);
        }

        var pat = await emulator.GetValidAsync("rest/api/2/myself", Seeded.DataCenterAdminPat, 200);
        var anonymous = await emulator.GetValidAsync("rest/api/2/serverInfo", null, 200);
        Assert.Equal("Ada Admin", pat.Json.GetProperty("displayName").GetString());
        Assert.Equal(200, anonymous.Status);
    }

    [Fact]
    public async Task Basic_auth_setting_does_not_apply_to_cloud()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.BasicAuthEnabled = false;

        var response = await emulator.GetValidAsync("rest/api/3/myself", Seeded.CloudAdmin, 200);

        Assert.Equal(Seeded.CloudAdminAccountId, response.Json.GetProperty("accountId").GetString());
    }

    [Theory]
    [InlineData(EmulatorFlavor.Cloud)]
    [InlineData(EmulatorFlavor.DataCenter)]
    public async Task Malformed_basic_header_counts_as_failed_credentials(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var response = await emulator.GetAsync($"{emulator.Api}/serverInfo", new Credential("Basic", "not-base64!"));

        Assert.Equal(200, response.Status);
        Assert.Equal("AUTHENTICATED_FAILED", response.Header("X-Seraph-LoginReason"));
    }
}

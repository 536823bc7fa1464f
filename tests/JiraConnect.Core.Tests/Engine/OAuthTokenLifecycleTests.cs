#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.OAuth;
using JiraConnect.Security;
using JiraConnect.Services;
using Xunit;

namespace JiraConnect.Tests.Engine;

/// <summary>Rotating refresh tokens against the emulator's authorization server, through the engine.</summary>
public sealed class OAuthTokenLifecycleTests
{
    [Fact]
    public async Task A_rotated_refresh_token_reused_inside_the_interval_still_works()
    {
        await using var h = await OAuthHarness.StartAsync();
        var token = await h.NewTokenAsync();
        var first = token.Grant;

        await token.RefreshAsync(CancellationToken.None);
        h.OAuth.AdvanceClock(TimeSpan.FromMinutes(9));
        var again = await OAuthTokenClient.RefreshAsync(h.Environment, h.App.ClientId, h.Secret, first, CancellationToken.None);

        Assert.NotNull(again.RefreshToken);
        Assert.DoesNotContain(h.OAuth.IssuedSecrets(), s => s.Status == "revoked");
        // The token rotated by the first refresh is still the newest of the family and works.
        await token.RefreshAsync(CancellationToken.None);
        Assert.Equal(2, token.RefreshCount);
    }

    [Fact]
    public async Task A_rotated_refresh_token_reused_after_the_interval_revokes_the_grant_and_asks_for_consent()
    {
        await using var h = await OAuthHarness.StartAsync();
        var token = await h.NewTokenAsync();
        var first = token.Grant;
        await token.RefreshAsync(CancellationToken.None);
        h.OAuth.AdvanceClock(TimeSpan.FromMinutes(11));

        var reuse = await Assert.ThrowsAsync<JiraOAuthException>(() => OAuthTokenClient.RefreshAsync(h.Environment, h.App.ClientId, h.Secret, first, CancellationToken.None));
        Assert.Equal(JiraErrorId.OAuthConsentRequired, reuse.ErrorId);
        Assert.Equal("invalid_grant", reuse.OAuthError);

        // Breach detection: the newest refresh token of the family is revoked too.
        var newest = await Assert.ThrowsAsync<JiraOAuthException>(() => token.RefreshAsync(CancellationToken.None));
        Assert.Equal(JiraErrorId.OAuthConsentRequired, newest.ErrorId);
        Assert.All(h.OAuth.IssuedSecrets().Where(s => s.Kind == "refresh_token"), s => Assert.Equal("revoked", s.Status));
    }

    [Fact]
    public async Task Fifty_refreshes_each_rotate_and_replace_the_refresh_token()
    {
        await using var h = await OAuthHarness.StartAsync();
        var token = await h.NewTokenAsync();
        var seen = new System.Collections.Generic.HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var header = await token.GetHeaderAsync(forceRefresh: true, CancellationToken.None);
            Assert.Equal("Bearer", header.Scheme);
            Assert.True(seen.Add(token.Grant.RefreshToken!.Use(s => s)));
        }

        Assert.Equal(50, token.RefreshCount);
        var refresh = h.OAuth.IssuedSecrets().Where(s => s.Kind == "refresh_token").ToList();
        Assert.Equal(51, refresh.Count);
        Assert.Equal(token.Grant.RefreshToken!.Use(s => s), Assert.Single(refresh, s => s.Status == "active").Value);
    }

    [Fact]
    public async Task A_second_process_with_a_stale_copy_takes_the_rotated_token_from_the_cache_instead_of_reusing_its_own()
    {
        await using var h = await OAuthHarness.StartAsync();
        var folder = Directory.CreateTempSubdirectory("jiraconnect-cache-");
        try
        {
            var cache = JiraTokenCache.Open(Path.Combine(folder.FullName, "shared.json"), allowPlainText: false);
            var one = await h.NewTokenAsync(cache);
            var cached = cache.TryLoad()!;
            var two = new JiraOAuthToken(cached.ClientId, h.Secret, cached.Environment, cached.RedirectUri, cached.Grant, cache);

            await one.RefreshAsync(CancellationToken.None);
            h.OAuth.AdvanceClock(TimeSpan.FromMinutes(11));
            await one.RefreshAsync(CancellationToken.None);
            // two still holds the first refresh token; reusing it now would revoke the grant.
            await two.GetHeaderAsync(forceRefresh: true, CancellationToken.None);

            Assert.DoesNotContain(h.OAuth.IssuedSecrets(), s => s.Status == "revoked");
            Assert.Equal(cache.TryLoad()!.Grant.RefreshToken!.Use(s => s), two.Grant.RefreshToken!.Use(s => s));
            Assert.Empty(folder.GetFiles("*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_cache_file_is_owner_only_and_a_damaged_one_is_reported()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // Windows protects the secrets with DPAPI instead of file modes.
        }

        await using var h = await OAuthHarness.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "jiraconnect-cache-" + Guid.NewGuid().ToString("N"), "nested");
        try
        {
            var cache = JiraTokenCache.Open(Path.Combine(folder, "t.json"), allowPlainText: false);
            await h.NewTokenAsync(cache);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.Path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));

            await File.WriteAllTextAsync(cache.Path, "{\"version\":1,\"accessToken\":");
            var damaged = Assert.Throws<JiraException>(() => cache.TryLoad());
            Assert.Equal(JiraErrorId.TokenCacheUnreadable, damaged.ErrorId);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public async Task Codes_are_single_use_and_bound_to_client_and_redirect_uri()
    {
        await using var h = await OAuthHarness.StartAsync();
        var other = h.OAuth.RegisterApp(new OAuthAppRequest { RedirectUris = [h.App.RedirectUris[0]] });
        using var http = new HttpClient { BaseAddress = h.Emulator.BaseUrl };

        async Task<(int Status, string Body)> Exchange(string clientId, string secret, string code, string redirect)
        {
            var body = $"{{\"grant_type\":\"authorization_code\",\"client_id\":\"{clientId}\",\"client_secret\":\"{secret}\",\"code\":\"{code}\",\"redirect_uri\":\"{redirect}\"}}";
            var response = await http.PostAsync("oauth/token", new StringContent(body, Encoding.UTF8, "application/json"));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var request = h.NewRequest();
        var code = JiraOAuthService.ReadAuthorizationResponse(request, (await h.ConsentAsync(request)).AbsoluteUri);
        Assert.Equal(403, (await Exchange(other.ClientId, other.ClientSecret, code, h.App.RedirectUris[0])).Status);
        request = h.NewRequest();
        code = JiraOAuthService.ReadAuthorizationResponse(request, (await h.ConsentAsync(request)).AbsoluteUri);
        Assert.Equal(403, (await Exchange(h.App.ClientId, h.App.ClientSecret, code, "http://localhost:1/other")).Status);
        request = h.NewRequest();
        code = JiraOAuthService.ReadAuthorizationResponse(request, (await h.ConsentAsync(request)).AbsoluteUri);
        Assert.Equal(200, (await Exchange(h.App.ClientId, h.App.ClientSecret, code, h.App.RedirectUris[0])).Status);
        var twice = await Exchange(h.App.ClientId, h.App.ClientSecret, code, h.App.RedirectUris[0]);
        Assert.Equal(403, twice.Status);
        Assert.Equal("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code\"}", twice.Body);
        var wrongSecret = await Exchange(h.App.ClientId, "nope", code, h.App.RedirectUris[0]);
        Assert.Equal(401, wrongSecret.Status);
        Assert.Equal("{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}", wrongSecret.Body);
    }
}

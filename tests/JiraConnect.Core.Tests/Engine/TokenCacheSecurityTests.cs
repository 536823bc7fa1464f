#nullable enable
using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Core.Tests.Engine;
using JiraConnect.OAuth;
using JiraConnect.Services;
using Xunit;

namespace JiraConnect.Tests.Engine;

/// <summary>
/// The token cache trusts nothing about its file: not its type, owner or mode, not a lock file planted as a link, and
/// not the OAuth endpoints written in it. Linux and macOS (Windows protects the secrets with DPAPI).
/// </summary>
public sealed class TokenCacheSecurityTests : IDisposable
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("jiraconnect-cachesec-");

    public TokenCacheSecurityTests()
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_folder.FullName, Mode600 | UnixFileMode.UserExecute);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    private static async Task<JiraException> Refused(Func<object?> load)
    {
        // Bounded: a cache that makes the load hang or spin fails the test instead of the run.
        var task = Task.Run(load);
        var error = await Assert.ThrowsAnyAsync<JiraException>(() => task.WaitAsync(TimeSpan.FromSeconds(10)));
        return error;
    }

    [Fact]
    public async Task A_cache_that_others_may_read_or_change_is_refused_with_the_chmod_that_fixes_it()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var h = await OAuthHarness.StartAsync();
        var cache = JiraTokenCache.Open(PathOf("t.json"), allowPlainText: false);
        await h.NewTokenAsync(cache);
        Assert.NotNull(cache.TryLoad());

        File.SetUnixFileMode(cache.Path, Mode600 | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        var file = await Refused(() => cache.TryLoad());
        Assert.Equal(JiraErrorId.TokenCacheInsecure, file.ErrorId);
        Assert.Contains("mode 0666", file.Message);
        Assert.Contains($"chmod 600 '{cache.Path}'", file.RecommendedAction);

        File.SetUnixFileMode(_folder.FullName, (UnixFileMode)0x1FF);
        var folder = await Refused(() => cache.TryLoad());
        Assert.Equal(JiraErrorId.TokenCacheInsecure, folder.ErrorId);
        Assert.Contains($"chmod 700 '{_folder.FullName}'", folder.RecommendedAction);

        // The consent flow refuses it too, before any request.
        var viaService = await Assert.ThrowsAsync<JiraException>(() =>
            JiraOAuthService.TryLoadCachedAsync(cache, h.Environment, h.App.ClientId, h.Secret, OAuthHarness.Scopes, CancellationToken.None));
        Assert.Equal(JiraErrorId.TokenCacheInsecure, viaService.ErrorId);

        File.SetUnixFileMode(_folder.FullName, Mode600 | UnixFileMode.UserExecute);
        File.SetUnixFileMode(cache.Path, Mode600);
        Assert.NotNull(cache.TryLoad());
    }

    [Fact]
    public async Task A_cache_owned_by_another_user_is_refused()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root") return; // Only root can give a file away.
        await using var h = await OAuthHarness.StartAsync();
        var cache = JiraTokenCache.Open(PathOf("t.json"), allowPlainText: false);
        await h.NewTokenAsync(cache);
        Run("chown", "65534", cache.Path);
        var error = await Refused(() => cache.TryLoad());
        Assert.Equal(JiraErrorId.TokenCacheInsecure, error.ErrorId);
        Assert.Contains("belongs to user id 65534", error.Message);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    [InlineData("link-to-regular")]
    public async Task A_cache_that_is_a_link_a_device_or_a_fifo_is_refused_at_once(string kind)
    {
        if (OperatingSystem.IsWindows()) return;
        var path = PathOf("t.json");
        switch (kind)
        {
            case "fifo":
                Run("mkfifo", "-m", "600", path);
                break;
            case "link-to-regular":
                var real = PathOf("real.json");
                File.WriteAllText(real, "{}");
                File.SetUnixFileMode(real, Mode600);
                File.CreateSymbolicLink(path, real);
                break;
            default:
                File.CreateSymbolicLink(path, kind);
                break;
        }
        var cache = JiraTokenCache.Open(path, allowPlainText: false);
        var clock = Stopwatch.StartNew();
        var error = await Refused(() => cache.TryLoad());
        Assert.Equal(JiraErrorId.TokenCacheInsecure, error.ErrorId);
        Assert.Contains(kind == "fifo" ? "named pipe" : "symbolic link", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"refused after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_huge_cache_is_not_read_past_one_mebibyte()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = PathOf("t.json");
        using (var stream = File.Create(path)) stream.SetLength(JiraTokenCache.MaxBytes + 1);
        File.SetUnixFileMode(path, Mode600);
        var error = await Refused(() => JiraTokenCache.Open(path, allowPlainText: false).TryLoad());
        Assert.Equal(JiraErrorId.TokenCacheUnreadable, error.ErrorId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_lock_file_planted_as_a_link_is_refused_and_neither_changes_nor_creates_its_target(bool targetExists)
    {
        if (OperatingSystem.IsWindows()) return;
        await using var h = await OAuthHarness.StartAsync();
        var victim = PathOf("victim.txt");
        if (targetExists)
        {
            File.WriteAllText(victim, "not yours");
            File.SetUnixFileMode(victim, Mode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        var cache = JiraTokenCache.Open(PathOf("t.json"), allowPlainText: false);
        File.CreateSymbolicLink(cache.Path + ".lock", victim);

        var error = await Assert.ThrowsAsync<JiraException>(() => h.NewTokenAsync(cache));
        Assert.Equal(JiraErrorId.TokenCacheInsecure, error.ErrorId);
        Assert.Contains("symbolic link", error.Message);
        Assert.Equal(targetExists, File.Exists(victim));
        if (targetExists) Assert.Equal(Mode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(victim));
        Assert.False(File.Exists(cache.Path));
    }

    [Fact]
    public async Task Endpoints_edited_in_the_file_are_never_used_and_nothing_is_sent_anywhere()
    {
        await using var h = await OAuthHarness.StartAsync();
        await using var recorder = new RecordingHttpServer("{\"access_token\":\"stolen\",\"expires_in\":3600}");
        var cache = JiraTokenCache.Open(PathOf("t.json"), allowPlainText: false);
        var live = await h.NewTokenAsync(cache);

        // An expired token, and the token URL pointed at another local port.
        var json = JsonNode.Parse(File.ReadAllText(cache.Path))!;
        json["tokenUrl"] = new Uri(recorder.Url, "oauth/token").AbsoluteUri;
        json["expiresAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("o");
        File.WriteAllText(cache.Path, json.ToJsonString());
        var tokenRequests = h.Emulator.State.Requests.Count;

        var error = await Assert.ThrowsAsync<JiraException>(() =>
            JiraOAuthService.TryLoadCachedAsync(cache, h.Environment, h.App.ClientId, h.Secret, OAuthHarness.Scopes, CancellationToken.None));
        Assert.Equal(JiraErrorId.TokenCacheEnvironmentMismatch, error.ErrorId);
        Assert.Contains(recorder.Url.Authority, error.Message);

        // A live token that refreshes under the lock re-reads the file: the same refusal, nothing sent.
        var refresh = await Assert.ThrowsAsync<JiraException>(() => live.RefreshAsync(CancellationToken.None));
        Assert.Equal(JiraErrorId.TokenCacheEnvironmentMismatch, refresh.ErrorId);

        // Without -Environment the default (Atlassian) is compared, never the file's.
        var byDefault = await Assert.ThrowsAsync<JiraException>(() =>
            JiraOAuthService.TryLoadCachedAsync(cache, null!, h.App.ClientId, h.Secret, OAuthHarness.Scopes, CancellationToken.None));
        Assert.Equal(JiraErrorId.TokenCacheEnvironmentMismatch, byDefault.ErrorId);

        Assert.Equal(0, recorder.Connections);
        Assert.Equal(tokenRequests, h.Emulator.State.Requests.Count);
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments))!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.OAuth;
using JiraConnect.Security;
using JiraConnect.Services;
using JiraConnect.Tests.Contract;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using Emu = JiraConnect.Core.Tests.Engine.Emu;

namespace JiraConnect.Tests.Engine;

/// <summary>OAuth on top of an <see cref="EmulatorHarness"/> (Cloud): an app of its own, and the user's side of the consent page done with form posts.</summary>
public sealed class OAuthHarness : IAsyncDisposable
{
    public static readonly string[] Scopes = ["read:jira-work", "read:jira-user", "offline_access"];

    private OAuthHarness(EmulatorHarness emulator, OAuthApp app)
    {
        Emulator = emulator;
        App = app;
        Environment = JiraOAuthEnvironment.ForHost(emulator.BaseUrl);
    }

    public EmulatorHarness Emulator { get; }

    public OAuthServer OAuth => Emulator.State.OAuth;

    public OAuthApp App { get; }

    public JiraOAuthEnvironment Environment { get; }

    public System.Security.SecureString Secret => App.ClientSecret.ToSecureString();

    public Uri RedirectUri => new(App.RedirectUris[0]);

    public static async Task<OAuthHarness> StartAsync(int projects = 5)
    {
        var emulator = await EmulatorHarness.Cloud(projects);
        var app = emulator.State.OAuth.RegisterApp(new OAuthAppRequest { RedirectUris = [$"http://localhost:{FreePort()}/callback"] });
        return new OAuthHarness(emulator, app);
    }

    public JiraOAuthAuthorizationRequest NewRequest(params string[] scopes) =>
        JiraOAuthAuthorizationRequest.Create(Environment, App.ClientId, RedirectUri, scopes.Length == 0 ? Scopes : scopes);

    /// <summary>Logs in and answers the consent page; returns the address the browser is redirected to.</summary>
    public async Task<Uri> ConsentAsync(JiraOAuthAuthorizationRequest request, bool accept = true, string user = Emu.CloudEmail, string password = Emu.Password)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var login = await http.GetStringAsync(request.Url);
        var tx = Regex.Match(login, "name=\"tx\" value=\"([^\"]+)\"").Groups[1].Value;
        await http.PostAsync(new Uri(Emulator.BaseUrl, "login"), new FormUrlEncodedContent(new Dictionary<string, string> { ["tx"] = tx, ["username"] = user, ["password"] = password }));
        var answer = await http.PostAsync(new Uri(Emulator.BaseUrl, "authorize/consent"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tx"] = tx,
            ["site"] = OAuthServer.SiteCloudId,
            ["decision"] = accept ? "accept" : "decline",
        }));
        return answer.Headers.Location!;
    }

    /// <summary>A fresh grant, optionally persisted.</summary>
    public async Task<JiraOAuthToken> NewTokenAsync(OAuth.JiraTokenCache? cache = null)
    {
        var request = NewRequest();
        var code = JiraOAuthService.ReadAuthorizationResponse(request, (await ConsentAsync(request)).AbsoluteUri);
        return await JiraOAuthService.ExchangeCodeAsync(request, Secret, code, cache, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}

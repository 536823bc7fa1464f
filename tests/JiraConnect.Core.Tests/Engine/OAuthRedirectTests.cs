#nullable enable
using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.OAuth;
using JiraConnect.Services;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;

namespace JiraConnect.Tests.Engine;

/// <summary>The redirect back from the consent page, and the loopback listener that receives it.</summary>
public sealed class OAuthRedirectTests
{
    private static JiraOAuthAuthorizationRequest Request(int port = 8765) =>
        JiraOAuthAuthorizationRequest.Create(JiraOAuthEnvironment.Atlassian, "client", new Uri($"http://localhost:{port}/callback"), ["read:jira-work"]);

    [Theory]
    [InlineData("code=abc&state=wrong", JiraErrorId.OAuthStateMismatch)]
    [InlineData("code=abc", JiraErrorId.OAuthStateMismatch)]
    [InlineData("error=access_denied", JiraErrorId.OAuthAccessDenied)]
    [InlineData("error=access_denied&state=wrong", JiraErrorId.OAuthStateMismatch)]
    [InlineData("error=temporarily_unavailable&error_description=later", JiraErrorId.OAuthAuthorizationFailed)]
    [InlineData("state=", JiraErrorId.OAuthInvalidAuthorizationResponse)]
    public void A_redirect_that_does_not_belong_to_the_request_fails(string query, string errorId)
    {
        var error = Assert.Throws<JiraOAuthException>(() => OAuthRedirect.Evaluate(OAuthRedirect.ParseQuery(query), Request()));
        Assert.Equal(errorId, error.ErrorId);
        Assert.DoesNotContain("abc", error.Message);
    }

    [Fact]
    public void The_code_comes_back_only_with_the_request_state()
    {
        var request = Request();
        Assert.Equal("a b/c", OAuthRedirect.Evaluate(OAuthRedirect.ParseQuery($"code=a+b%2Fc&state={Uri.EscapeDataString(request.State)}"), request));
        Assert.Equal("c0de-pasted-alone", JiraOAuthService.ReadAuthorizationResponse(request, "  c0de-pasted-alone "));
    }

    [Fact]
    public async Task The_listener_ignores_other_paths_answers_a_page_without_the_code_and_stops_on_cancel()
    {
        var port = FreePort();
        var request = Request(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using (var receiver = LoopbackRedirectReceiver.Start(request.RedirectUri))
        {
            var waiting = receiver.ReceiveCodeAsync(request, CancellationToken.None);
            Assert.Equal(404, (int)(await http.GetAsync("favicon.ico")).StatusCode);
            Assert.False(waiting.IsCompleted);
            var page = await http.GetStringAsync($"callback?code=secret-code-42&state={Uri.EscapeDataString(request.State)}");
            Assert.Equal("secret-code-42", await waiting);
            Assert.Contains("You may close this tab", page);
            Assert.DoesNotContain("secret-code-42", page);
            Assert.DoesNotContain(request.State, page);
        }

        using (var receiver = LoopbackRedirectReceiver.Start(request.RedirectUri))
        using (var cancel = new CancellationTokenSource())
        {
            var waiting = receiver.ReceiveCodeAsync(request, cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting).WaitAsync(TimeSpan.FromSeconds(10));
        }

        // Stopped: the port is free again.
        using var again = LoopbackRedirectReceiver.Start(request.RedirectUri);
        var taken = Assert.Throws<JiraOAuthException>(() => LoopbackRedirectReceiver.Start(request.RedirectUri));
        Assert.Equal(JiraErrorId.LoopbackPortInUse, taken.ErrorId);
    }

    [Fact]
    public async Task Forged_callbacks_are_turned_away_and_the_real_one_still_completes_the_consent()
    {
        var port = FreePort();
        var request = Request(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        string state = Uri.EscapeDataString(request.State);

        using (var receiver = LoopbackRedirectReceiver.Start(request.RedirectUri))
        {
            var waiting = receiver.ReceiveCodeAsync(request, CancellationToken.None);
            foreach (var forged in new[] { "code=forged&state=wrong", "code=forged", "error=access_denied", "error=access_denied&state=wrong", "state=" + state.Substring(1) })
            {
                var answer = await http.GetAsync("callback?" + forged);
                Assert.Equal(400, (int)answer.StatusCode);
                Assert.Contains("Not this consent", await answer.Content.ReadAsStringAsync());
                Assert.False(waiting.IsCompleted, forged + " ended the consent");
            }
            await http.GetStringAsync($"callback?code=real-code&state={state}");
            Assert.Equal("real-code", await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        // An error that carries the request's state still ends the consent.
        using (var receiver = LoopbackRedirectReceiver.Start(request.RedirectUri))
        {
            var waiting = receiver.ReceiveCodeAsync(request, CancellationToken.None);
            await http.GetAsync($"callback?error=access_denied&state={state}");
            var denied = await Assert.ThrowsAsync<JiraOAuthException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(JiraErrorId.OAuthAccessDenied, denied.ErrorId);
        }
    }

    [Fact]
    public void The_authorization_url_pastes_as_text_with_every_reserved_character_encoded()
    {
        var request = JiraOAuthAuthorizationRequest.Create(JiraOAuthEnvironment.Atlassian, "my client&x=1#f+/",
            new Uri("http://localhost:8765/call back?a=1&b=2"), ["read:jira-work", "read:jira-user", "offline_access"]);
        foreach (var text in new[] { request.ToString(), request.Url.ToString(), request.Url.AbsoluteUri })
        {
            Assert.DoesNotContain(' ', text);
            Assert.Contains("scope=read%3Ajira-work%20read%3Ajira-user%20offline_access", text);
            Assert.Contains("client_id=my%20client%26x%3D1%23f%2B%2F&", text);
            Assert.Contains("redirect_uri=http%3A%2F%2Flocalhost%3A8765%2Fcall%20back%3Fa%3D1%26b%3D2&", text);
            Assert.DoesNotContain('#', text);
            // Pasted into a browser, it means exactly what was asked for.
            var query = OAuthRedirect.ParseQuery(new Uri(text).Query);
            Assert.Equal("my client&x=1#f+/", query["client_id"]);
            Assert.Equal("read:jira-work read:jira-user offline_access", query["scope"]);
            Assert.Equal("http://localhost:8765/call back?a=1&b=2", query["redirect_uri"]);
            Assert.Equal(request.State, query["state"]);
        }
    }

    [Fact]
    public void The_browser_command_is_split_and_quoted_the_way_the_runtime_parses_it()
    {
        Assert.Equal(["dotnet", "/a b/tool.dll", "--x", "%s"], SystemBrowser.Split("dotnet \"/a b/tool.dll\" --x %s"));
        Assert.Equal("\"a b\"", SystemBrowser.Quote("a b"));
        Assert.Equal("\"say \\\"hi\\\"\"", SystemBrowser.Quote("say \"hi\""));
        Assert.Equal("https://x/?a=1&b=2", SystemBrowser.Quote("https://x/?a=1&b=2"));
    }
}

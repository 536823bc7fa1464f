using System.Net;
using System.Text;

namespace AtlassianEmulator;

/// <summary>The HTML of the login, consent and error pages. Element ids are stable: browser tests rely on them.</summary>
internal static class ConsentPages
{
    private static readonly IReadOnlyDictionary<string, string> ScopeDescriptions = new Dictionary<string, string>
    {
        ["read:jira-work"] = "Read Jira project and issue data, search for issues and objects associated with issues",
        ["write:jira-work"] = "Create and edit issues in Jira, post comments as the user, create worklogs, and delete issues",
        ["manage:jira-configuration"] = "Take Jira administration actions (for example, create projects and custom fields)",
        ["read:jira-user"] = "View user information in Jira that the user has access to, including usernames and email addresses",
        ["offline_access"] = "Maintain access to data you have given it access to, even when you are not using the app",
        ["manage:jira-project"] = "Create and edit project settings and create new project-level objects",
        ["manage:jira-automation"] = "Manage automation rules",
        ["manage:jira-webhook"] = "Manage Jira webhooks",
        ["read:me"] = "View active user profile",
        ["read:confluence-content.summary"] = "Read a summary of Confluence content",
    };

    public static IResult Login(AuthorizationRequestState request, string? message) => Page("Log in to continue", $"""
        <h1>Log in to continue</h1>
        <p id="app">to <strong>{E(request.App.Name)}</strong></p>
        {(message is null ? string.Empty : $"<p id=\"login-error\" role=\"alert\">{E(message)}</p>")}
        <form id="login-form" method="post" action="/login">
        <input type="hidden" name="tx" value="{E(request.Id)}">
        <label for="username">Email</label>
        <input id="username" name="username" type="email" autocomplete="username">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password">
        <button id="login-submit" type="submit">Log in</button>
        </form>
        """);

    public static IResult Consent(AuthorizationRequestState request, IReadOnlyList<OAuthSite> sites, string siteUrl)
    {
        var scopes = new StringBuilder();
        foreach (var scope in request.Scopes)
        {
            scopes.Append($"<li data-scope=\"{E(scope)}\"><code>{E(scope)}</code> {E(ScopeDescriptions.GetValueOrDefault(scope, scope))}</li>");
        }

        var options = new StringBuilder();
        foreach (var site in sites)
        {
            options.Append($"<option value=\"{E(site.CloudId)}\">{E(site.Name)} ({E(siteUrl)})</option>");
        }

        return Page($"{request.App.Name} is requesting access to your Atlassian account", $"""
            <h1 id="consent-title">{E(request.App.Name)} is requesting access to your Atlassian account</h1>
            <p id="signed-in-as">Signed in as {E(request.User!.EmailAddress)}</p>
            <ul id="scopes">{scopes}</ul>
            <form id="consent-form" method="post" action="/authorize/consent">
            <input type="hidden" name="tx" value="{E(request.Id)}">
            <label for="site">Use app on</label>
            <select id="site" name="site">{options}</select>
            <button id="decline" name="decision" value="decline" type="submit">Decline</button>
            <button id="accept" name="decision" value="accept" type="submit"{(sites.Count == 0 ? " disabled" : string.Empty)}>Accept</button>
            </form>
            """);
    }

    /// <summary>Atlassian's own error page: shown instead of a redirect when the client or the redirect URI is not registered.</summary>
    public static IResult Error(int status, string error, string description) => Page("Something went wrong", $"""
        <h1>Something went wrong</h1>
        <p id="error" data-error="{E(error)}">{E(error)}: {E(description)}</p>
        """, status);

    private static IResult Page(string title, string body, int status = StatusCodes.Status200OK) =>
        Results.Content($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{E(title)}</title>
            </head>
            <body>
            {body}
            </body>
            </html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

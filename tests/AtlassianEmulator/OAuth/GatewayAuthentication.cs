using System.Net.Http.Headers;

namespace AtlassianEmulator;

/// <summary>Marks the Jira routes served through the API gateway (/ex/jira/{cloudId}/rest/api/...).</summary>
internal sealed class GatewayRoute
{
    public static GatewayRoute Instance { get; } = new();
}

/// <summary>
/// api.atlassian.com in front of a Jira site: an OAuth access token (Bearer) granted on that cloudId with the scope
/// the endpoint needs, or a scoped API token (Basic, email + token). Anything else is 401 with the gateway's body.
/// </summary>
internal static class GatewayAuthenticator
{
    public const string ScopeMismatch = "Unauthorized; scope does not match";

    /// <summary>The caller, or the 401 to send.</summary>
    public static (UserAccount? User, IResult? Refusal) Authenticate(HttpContext context, EmulatorState state)
    {
        var cloudId = context.Request.RouteValues["cloudId"] as string;
        if (!string.Equals(cloudId, state.OAuth.Site.CloudId, StringComparison.Ordinal))
        {
            return (null, Error(StatusCodes.Status404NotFound, "Site not found or no access"));
        }

        var scope = RequiredScope(context);
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header))
        {
            return (null, Unauthorized("Unauthorized"));
        }

        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (state.OAuth.Authorize(header.Parameter) is not { } family || family.CloudId != cloudId)
            {
                return (null, Unauthorized("Unauthorized"));
            }

            return scope is null || family.Has(scope) ? (family.User, null) : (null, Unauthorized(ScopeMismatch));
        }

        if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && Authenticator.TryDecodeBasic(header.Parameter, out var login, out var secret)
            && state.FindUserByLogin(login) is { ScopedApiToken: { } scoped } user && EmulatorState.FixedTimeEquals(scoped, secret))
        {
            return scope is null || OAuthServer.ScopedApiTokenScopes.Contains(scope) ? (user, null) : (null, Unauthorized(ScopeMismatch));
        }

        if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && Authenticator.TryDecodeBasic(header.Parameter, out var account, out var token)
            && ServiceAccountSeed.ScopesOf(account, token) is { } granted)
        {
            return scope is null || granted.Contains(scope) ? (ServiceAccountSeed.Cloud, null) : (null, Unauthorized(ScopeMismatch));
        }

        return (null, Unauthorized("Unauthorized"));
    }

    /// <summary>The grant of the Bearer token of a request to the gateway's own endpoints.</summary>
    public static TokenFamily? BearerFamily(HttpContext context, OAuthServer oauth) =>
        AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
        && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? oauth.Authorize(header.Parameter)
            : null;

    public static IResult Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, message);

    private static IResult Error(int status, string message) =>
        JsonResult.Of(new GatewayErrorDto { Code = status, Message = message }, EmulatorJson.Wire.GatewayErrorDto, status);

    /// <summary>
    /// The classic scope a Jira endpoint needs, from its route pattern (not the request path, where a project or issue
    /// key could look like a resource): serverInfo none, myself and user/... read:jira-user, the rest read:jira-work.
    /// </summary>
    private static string? RequiredScope(HttpContext context)
    {
        const string api = "/rest/api/";
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? string.Empty;
        var start = pattern.IndexOf(api, StringComparison.Ordinal);
        var slash = start < 0 ? -1 : pattern.IndexOf('/', start + api.Length);
        var resource = slash < 0 ? string.Empty : pattern[slash..];
        return resource switch
        {
            "/serverInfo" => null,
            "/myself" or "/user" => "read:jira-user",
            _ when resource.StartsWith("/user/", StringComparison.Ordinal) => "read:jira-user",
            _ => "read:jira-work",
        };
    }
}

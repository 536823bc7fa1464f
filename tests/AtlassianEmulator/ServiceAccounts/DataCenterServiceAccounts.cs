using System.Net.Http.Headers;

namespace AtlassianEmulator;

/// <summary>
/// Jira Data Center's service accounts on the site: a Bearer access token from /rest/oauth2/latest/token acts as the
/// service account on /rest/api/2 only, needs READ for GET and WRITE for anything else, and is refused on ADMIN,
/// SYSTEM_ADMIN and PROJECT_ADMIN endpoints (DC-HOW). The 403 and its wording are the emulator's choice (README.md).
/// </summary>
internal static class DataCenterServiceAccounts
{
    public const string ApiPrefix = "/rest/api/2/";

    /// <summary>
    /// False when the request carries no client-credentials token (personal access tokens and the rest go on as
    /// usual); otherwise the service account, or the refusal to send.
    /// </summary>
    public static bool TryAuthenticate(HttpContext context, EmulatorState state, out UserAccount? user, out IResult? refusal)
    {
        user = null;
        refusal = null;
        if (state.Flavor != EmulatorFlavor.DataCenter
            || !AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            || state.OAuth.Authorize(header.Parameter) is not { CloudId.Length: 0 } family)
        {
            return false;
        }

        if (AdminScopeOf(context) is { } admin)
        {
            refusal = JiraErrors.Error(StatusCodes.Status403Forbidden,
                $"Service accounts cannot use this resource: it requires the {admin} scope, which is not available to service accounts.");
            return true;
        }

        if (!(context.Request.Path.Value ?? string.Empty).StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            refusal = JiraErrors.Error(StatusCodes.Status403Forbidden, "Service accounts can only use the REST API at /rest/api/2.");
            return true;
        }

        bool read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var needed = read ? OAuthServer.DataCenterRead : OAuthServer.DataCenterWrite;
        if (!family.Has(needed) && !family.Has(OAuthServer.DataCenterWrite))
        {
            refusal = JiraErrors.Error(StatusCodes.Status403Forbidden, $"The access token does not have the {needed} scope this request needs.");
            return true;
        }

        user = family.User;
        return true;
    }

    /// <summary>
    /// The admin scope an endpoint needs, from its route pattern: the allowlist SYSTEM_ADMIN, changes to project role
    /// actors PROJECT_ADMIN, user permission search ADMIN; null for the rest.
    /// </summary>
    private static string? AdminScopeOf(HttpContext context)
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? string.Empty;
        if (pattern.StartsWith(AllowlistEndpoints.Path.TrimEnd('/'), StringComparison.Ordinal))
        {
            return "SYSTEM_ADMIN";
        }

        if (pattern.EndsWith("/project/{projectIdOrKey}/role/{id}", StringComparison.Ordinal) && !HttpMethods.IsGet(context.Request.Method))
        {
            return "PROJECT_ADMIN";
        }

        return pattern.EndsWith("/user/permission/search", StringComparison.Ordinal) ? "ADMIN" : null;
    }
}

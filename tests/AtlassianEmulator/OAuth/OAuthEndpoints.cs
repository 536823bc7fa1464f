using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace AtlassianEmulator;

/// <summary>
/// auth.atlassian.com (GET /authorize with the login and consent pages, POST /oauth/token) and the OAuth part of
/// api.atlassian.com (GET /oauth/token/accessible-resources). Cloud flavor only.
/// </summary>
internal static class OAuthEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        var oauth = state.OAuth;
        routes.MapGet("/authorize", (RequestDelegate)(context => Authorize(context, oauth).ExecuteAsync(context)));
        routes.MapPost("/login", (RequestDelegate)(async context => await (await LoginAsync(context, state)).ExecuteAsync(context)));
        routes.MapPost("/authorize/consent", (RequestDelegate)(async context => await (await ConsentAsync(context, oauth)).ExecuteAsync(context)));
        routes.MapPost("/oauth/token", (RequestDelegate)(async context => await (await TokenAsync(context, oauth)).ExecuteAsync(context)));
        routes.MapGet("/oauth/token/accessible-resources", (RequestDelegate)(context => AccessibleResources(context, oauth).ExecuteAsync(context)));
    }

    private static IResult Authorize(HttpContext context, OAuthServer oauth)
    {
        var query = context.Request.Query;
        var app = oauth.FindApp(query["client_id"].ToString());
        var redirectUri = query["redirect_uri"].ToString();
        if (app is null)
        {
            return ConsentPages.Error(StatusCodes.Status400BadRequest, "unauthorized_client", "The client_id does not belong to a registered app.");
        }

        if (!app.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            // An unregistered redirect URI never gets a redirect: the user stays on Atlassian's error page.
            return ConsentPages.Error(StatusCodes.Status400BadRequest, "unauthorized_client", "The redirect_uri does not match any callback URL registered for the app.");
        }

        var state = query.TryGetValue("state", out var s) ? s.ToString() : null;
        if (query["response_type"].ToString() != "code")
        {
            return RedirectWithError(redirectUri, state, "unsupported_response_type", "Only response_type=code is supported.");
        }

        if (query["audience"].ToString() != OAuthServer.Audience)
        {
            return RedirectWithError(redirectUri, state, "invalid_request", "The audience parameter must be api.atlassian.com.");
        }

        var scopes = query["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (scopes.Length == 0 || scopes.Any(scope => !app.Scopes.Contains(scope, StringComparer.Ordinal)))
        {
            return RedirectWithError(redirectUri, state, "invalid_scope", "The requested scope is invalid, unknown, or not enabled for this app.");
        }

        return ConsentPages.Login(oauth.BeginAuthorization(app, redirectUri, state, scopes), message: null);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, EmulatorState state)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = state.OAuth.FindAuthorization(form["tx"]);
        if (request is null)
        {
            return ConsentPages.Error(StatusCodes.Status400BadRequest, "invalid_request", "This authorization request has expired or was already completed. Start again from the app.");
        }

        var user = state.FindUserByLogin(form["username"].ToString());
        if (user is not null && user.CaptchaLocked)
        {
            return ConsentPages.Login(request, "Too many failed login attempts: answer the CAPTCHA in a browser first.");
        }

        if (user is null || !EmulatorState.FixedTimeEquals(user.Password, form["password"].ToString()))
        {
            return ConsentPages.Login(request, "Incorrect email address and / or password.");
        }

        request.User = user;
        return ConsentPages.Consent(request, state.OAuth.SitesOf(user), state.OAuth.SiteUrl);
    }

    private static async Task<IResult> ConsentAsync(HttpContext context, OAuthServer oauth)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = oauth.FindAuthorization(form["tx"]);
        if (request?.User is not { } user)
        {
            return ConsentPages.Error(StatusCodes.Status400BadRequest, "invalid_request", "This authorization request has expired or was already completed. Start again from the app.");
        }

        if (form["decision"].ToString() != "accept")
        {
            oauth.Complete(request, accepted: false, cloudId: string.Empty);
            return RedirectWithError(request.RedirectUri, request.State, "access_denied", "The user declined the request.");
        }

        var site = oauth.SitesOf(user).FirstOrDefault(s => s.CloudId == form["site"].ToString());
        if (site is null)
        {
            return ConsentPages.Consent(request, oauth.SitesOf(user), oauth.SiteUrl);
        }

        var code = oauth.Complete(request, accepted: true, site.CloudId)!;
        var query = new Dictionary<string, string?> { ["code"] = code };
        if (request.State is not null)
        {
            query["state"] = request.State;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(request.RedirectUri, query));
    }

    private static async Task<IResult> TokenAsync(HttpContext context, OAuthServer oauth)
    {
        // 3LO takes JSON only; the client_credentials grant also takes a form body (ServiceAccountEndpoints).
        var (request, form) = await ServiceAccountEndpoints.ReadTokenRequestAsync(context);
        if (request is null)
        {
            return form
                ? OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The token request must be a JSON body (Content-Type: application/json).")
                : OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The body is not a JSON object.");
        }

        if (request.GrantType == "client_credentials")
        {
            return ServiceAccountEndpoints.ClientCredentials(context, oauth, request, form, dataCenter: false);
        }

        if (form)
        {
            return OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The token request must be a JSON body (Content-Type: application/json).");
        }

        context.Response.Headers.CacheControl = "no-store";
        return oauth.Exchange(request) switch
        {
            TokenOutcome.Issued issued => JsonResult.Of(
                new TokenResponseDto { AccessToken = issued.AccessToken, ExpiresIn = issued.ExpiresIn, RefreshToken = issued.RefreshToken, Scope = issued.Scope },
                EmulatorJson.Wire.TokenResponseDto),
            TokenOutcome.Failed failed => OAuthError(failed.Status, failed.Error, failed.Description),
            _ => throw new InvalidOperationException("Unknown token outcome."),
        };
    }

    private static IResult AccessibleResources(HttpContext context, OAuthServer oauth)
    {
        if (GatewayAuthenticator.BearerFamily(context, oauth) is not { } family)
        {
            return GatewayAuthenticator.Unauthorized("Unauthorized");
        }

        var site = oauth.Site;
        var jiraScopes = family.Scopes.Where(s => s.Contains("jira", StringComparison.Ordinal)).ToArray();
        var confluenceScopes = family.Scopes.Where(s => s.Contains("confluence", StringComparison.Ordinal)).ToArray();
        var resources = new List<AccessibleResourceDto>();
        if (jiraScopes.Length > 0 || confluenceScopes.Length == 0)
        {
            resources.Add(new AccessibleResourceDto { Id = site.CloudId, Url = oauth.SiteUrl, Name = site.Name, Scopes = jiraScopes, AvatarUrl = site.AvatarUrl });
        }

        if (confluenceScopes.Length > 0)
        {
            // The same cloudId appears once per product; the scopes tell them apart.
            resources.Add(new AccessibleResourceDto { Id = site.CloudId, Url = oauth.SiteUrl, Name = site.Name, Scopes = confluenceScopes, AvatarUrl = site.AvatarUrl });
        }

        return JsonResult.Of<IReadOnlyList<AccessibleResourceDto>>(resources, EmulatorJson.Wire.IReadOnlyListAccessibleResourceDto);
    }

    private static IResult RedirectWithError(string redirectUri, string? state, string error, string description)
    {
        var query = new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description };
        if (state is not null)
        {
            query["state"] = state;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, query));
    }

    internal static IResult OAuthError(int status, string error, string description) =>
        JsonResult.Of(new OAuthErrorDto { Error = error, ErrorDescription = description }, EmulatorJson.Wire.OAuthErrorDto, status);
}

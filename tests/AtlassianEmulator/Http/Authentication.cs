using System.Net.Http.Headers;
using System.Text;

namespace AtlassianEmulator;

/// <summary>Endpoint metadata: whether Jira answers the endpoint for anonymous callers.</summary>
internal sealed class JiraAccess
{
    private JiraAccess(bool allowsAnonymous) => AllowsAnonymous = allowsAnonymous;

    /// <summary>Anonymous callers (and callers whose credentials failed) are answered as ANONYMOUS.</summary>
    public static JiraAccess Anonymous { get; } = new(true);

    /// <summary>Anonymous callers get 401.</summary>
    public static JiraAccess Authenticated { get; } = new(false);

    public bool AllowsAnonymous { get; }
}

/// <summary>The caller of the current request, set by <see cref="JiraAuthenticationMiddleware"/>.</summary>
internal sealed class CallerFeature(UserAccount? user)
{
    public UserAccount? User { get; } = user;
}

internal static class CallerExtensions
{
    /// <summary>The authenticated user, or null for ANONYMOUS.</summary>
    public static UserAccount? CurrentUser(this HttpContext context) => context.Features.Get<CallerFeature>()?.User;
}

/// <summary>Seraph's login reasons, sent in X-Seraph-LoginReason.</summary>
internal static class LoginReason
{
    public const string Header = "X-Seraph-LoginReason";
    public const string Ok = "OK";
    public const string Failed = "AUTHENTICATED_FAILED";
    public const string Denied = "AUTHENTICATION_DENIED";
}

/// <summary>What the credentials of a request amount to.</summary>
internal abstract record AuthOutcome
{
    private AuthOutcome()
    {
    }

    public sealed record Authenticated(UserAccount User) : AuthOutcome;

    /// <summary>No usable credentials; <paramref name="CredentialsFailed"/> when some were sent but rejected.</summary>
    public sealed record Anonymous(bool CredentialsFailed) : AuthOutcome;

    /// <summary>Refused outright, whatever the endpoint.</summary>
    public sealed record Refused(IResult Response, string? Reason) : AuthOutcome;
}

/// <summary>Checks Authorization headers the way Jira Cloud or Jira Data Center does.</summary>
internal static class Authenticator
{
    public static AuthOutcome Authenticate(string? authorization, EmulatorState state)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return new AuthOutcome.Anonymous(CredentialsFailed: false);
        }

        if (!AuthenticationHeaderValue.TryParse(authorization, out var header))
        {
            return new AuthOutcome.Anonymous(CredentialsFailed: true);
        }

        if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return Basic(header.Parameter, state);
        }

        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return Bearer(header.Parameter, state);
        }

        return new AuthOutcome.Anonymous(CredentialsFailed: true);
    }

    /// <summary>"Basic", "Bearer", "Other" or null: the scheme only, never the credential.</summary>
    public static string? SchemeOf(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var scheme = authorization.AsSpan().TrimStart();
        var space = scheme.IndexOf(' ');
        scheme = space < 0 ? scheme : scheme[..space];
        return scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) ? "Basic"
            : scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? "Bearer"
            : "Other";
    }

    private static AuthOutcome Basic(string? parameter, EmulatorState state)
    {
        if (state.Flavor == EmulatorFlavor.DataCenter && !state.BasicAuthEnabled)
        {
            return new AuthOutcome.Refused(JiraErrors.BasicAuthenticationDisabled(), Reason: null);
        }

        if (state.Flavor == EmulatorFlavor.Cloud && TryDecodeBasic(parameter, out var account, out var scopedSecret) && ServiceAccountSeed.ScopesOf(account, scopedSecret) is not null)
        {
            // A service account's scoped token works only through the API gateway.
            return new AuthOutcome.Refused(JiraErrors.Error(StatusCodes.Status401Unauthorized, JiraErrors.NotAuthenticated), LoginReason.Failed);
        }

        if (!TryDecodeBasic(parameter, out var login, out var secret) || state.FindUserByLogin(login) is not { } user)
        {
            return new AuthOutcome.Anonymous(CredentialsFailed: true);
        }

        if (user.CaptchaLocked)
        {
            return new AuthOutcome.Refused(JiraErrors.Error(StatusCodes.Status403Forbidden, JiraErrors.CaptchaRequired), LoginReason.Denied);
        }

        if (state.Flavor == EmulatorFlavor.Cloud)
        {
            if (user.ApiToken is { } token && EmulatorState.FixedTimeEquals(token, secret))
            {
                // A revoked API token fails like a wrong one: Jira answers as anonymous.
                return state.TokensRevoked(user) ? new AuthOutcome.Anonymous(CredentialsFailed: true) : new AuthOutcome.Authenticated(user);
            }

            // Scoped API tokens work only through api.atlassian.com/ex/jira/{cloudId}.
            if (user.ScopedApiToken is { } scoped && EmulatorState.FixedTimeEquals(scoped, secret))
            {
                return new AuthOutcome.Refused(JiraErrors.Error(StatusCodes.Status401Unauthorized, JiraErrors.NotAuthenticated), LoginReason.Failed);
            }

            if (EmulatorState.FixedTimeEquals(user.Password, secret))
            {
                return new AuthOutcome.Refused(JiraErrors.PasswordInsteadOfToken(), LoginReason.Failed);
            }
        }
        else if (EmulatorState.FixedTimeEquals(user.Password, secret))
        {
            return new AuthOutcome.Authenticated(user);
        }

        return new AuthOutcome.Anonymous(CredentialsFailed: true);
    }

    private static AuthOutcome Bearer(string? token, EmulatorState state)
    {
        // Jira Cloud accepts no personal access tokens on the site URL.
        if (state.Flavor == EmulatorFlavor.DataCenter && !string.IsNullOrEmpty(token)
            && state.FindUserByPersonalAccessToken(token) is { } user && !state.TokensRevoked(user))
        {
            return new AuthOutcome.Authenticated(user);
        }

        return new AuthOutcome.Refused(JiraErrors.Error(StatusCodes.Status401Unauthorized, JiraErrors.NotAuthenticated), LoginReason.Failed);
    }

    internal static bool TryDecodeBasic(string? parameter, out string login, out string secret)
    {
        login = secret = string.Empty;
        if (string.IsNullOrEmpty(parameter))
        {
            return false;
        }

        var bytes = new byte[(parameter.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(parameter, bytes, out var length))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        login = text[..colon];
        secret = text[(colon + 1)..];
        return true;
    }
}

/// <summary>
/// Authenticates requests to Jira endpoints, applies the anonymous fallback of endpoints that allow it,
/// and sets Jira's authentication headers (X-Seraph-LoginReason, X-AAccountId, X-AUSERNAME).
/// </summary>
internal sealed class JiraAuthenticationMiddleware(RequestDelegate next, EmulatorState state)
{
    public Task InvokeAsync(HttpContext context)
    {
        var access = context.GetEndpoint()?.Metadata.GetMetadata<JiraAccess>();
        if (access is null)
        {
            return next(context);
        }

        var headers = context.Response.Headers;
        if (context.GetEndpoint()?.Metadata.GetMetadata<GatewayRoute>() is not null)
        {
            var (caller, refusal) = GatewayAuthenticator.Authenticate(context, state);
            if (refusal is not null)
            {
                return refusal.ExecuteAsync(context);
            }

            headers["X-AAccountId"] = caller!.AccountId;
            context.Features.Set(new CallerFeature(caller));
            return next(context);
        }

        if (DataCenterServiceAccounts.TryAuthenticate(context, state, out var serviceAccount, out var serviceRefusal))
        {
            if (serviceRefusal is not null)
            {
                return serviceRefusal.ExecuteAsync(context);
            }

            headers[LoginReason.Header] = LoginReason.Ok;
            headers["X-AUSERNAME"] = serviceAccount!.Name;
            context.Features.Set(new CallerFeature(serviceAccount));
            return next(context);
        }

        switch (Authenticator.Authenticate(context.Request.Headers.Authorization, state))
        {
            case AuthOutcome.Authenticated(var user):
                headers[LoginReason.Header] = LoginReason.Ok;
                if (state.Flavor == EmulatorFlavor.Cloud)
                {
                    headers["X-AAccountId"] = user.AccountId;
                }
                else
                {
                    headers["X-AUSERNAME"] = user.Name;
                }

                context.Features.Set(new CallerFeature(user));
                return next(context);

            case AuthOutcome.Refused(var response, var reason):
                if (reason is not null)
                {
                    headers[LoginReason.Header] = reason;
                }

                if (reason == LoginReason.Denied)
                {
                    headers["X-Authentication-Denied-Reason"] = $"CAPTCHA_CHALLENGE; login-url={state.BaseAddress}/login.jsp";
                }

                return response.ExecuteAsync(context);

            case AuthOutcome.Anonymous(var failed):
                if (failed)
                {
                    headers[LoginReason.Header] = LoginReason.Failed;
                }

                if (state.Flavor == EmulatorFlavor.DataCenter)
                {
                    headers["X-AUSERNAME"] = "anonymous";
                }

                return access.AllowsAnonymous
                    ? next(context)
                    : JiraErrors.Error(StatusCodes.Status401Unauthorized, JiraErrors.NotAuthenticated).ExecuteAsync(context);

            default:
                throw new InvalidOperationException("Unknown authentication outcome.");
        }
    }
}

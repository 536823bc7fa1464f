namespace AtlassianEmulator;

/// <summary>The authorization server's consent transaction, token endpoint and access-token check.</summary>
public sealed partial class OAuthServer
{
    internal OAuthApp? FindApp(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return null;
        }

        lock (_gate)
        {
            return _apps.GetValueOrDefault(clientId);
        }
    }

    internal AuthorizationRequestState BeginAuthorization(OAuthApp app, string redirectUri, string? state, IReadOnlyList<string> scopes)
    {
        var request = new AuthorizationRequestState { Id = NewSecret(24), App = app, RedirectUri = redirectUri, State = state, Scopes = scopes };
        lock (_gate)
        {
            _requests[request.Id] = request;
        }

        return request;
    }

    internal AuthorizationRequestState? FindAuthorization(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        lock (_gate)
        {
            return _requests.GetValueOrDefault(id);
        }
    }

    /// <summary>Ends the consent transaction; a code when the user accepted.</summary>
    internal string? Complete(AuthorizationRequestState request, bool accepted, string cloudId)
    {
        lock (_gate)
        {
            _requests.Remove(request.Id);
            if (!accepted || request.User is null)
            {
                return null;
            }

            var code = new AuthorizationCode
            {
                Value = NewSecret(32),
                App = request.App,
                RedirectUri = request.RedirectUri,
                User = request.User,
                CloudId = cloudId,
                Scopes = request.Scopes,
                IssuedAt = Clock,
            };
            _codes[code.Value] = code;
            return code.Value;
        }
    }

    /// <summary>The sites a user can grant an app access to.</summary>
    internal IReadOnlyList<OAuthSite> SitesOf(UserAccount user) => user.CaptchaLocked ? [] : [Site];

    /// <summary>The token endpoint: authorization_code and refresh_token grants with client id and secret in the body.</summary>
    internal TokenOutcome Exchange(TokenRequestDto request)
    {
        var app = FindApp(request.ClientId);
        if (app is null || request.ClientSecret is null || !EmulatorState.FixedTimeEquals(app.ClientSecret, request.ClientSecret))
        {
            return new TokenOutcome.Failed(StatusCodes.Status401Unauthorized, "access_denied", "Unauthorized");
        }

        lock (_gate)
        {
            var now = Clock;
            switch (request.GrantType)
            {
                case "authorization_code":
                    return ExchangeCode(app, request, now);
                case "refresh_token":
                    return Refresh(app, request.RefreshToken, now);
                default:
                    return new TokenOutcome.Failed(StatusCodes.Status400BadRequest, "unsupported_grant_type",
                        $"The grant type '{request.GrantType}' is not supported: use authorization_code or refresh_token.");
            }
        }
    }

    private TokenOutcome ExchangeCode(OAuthApp app, TokenRequestDto request, DateTimeOffset now)
    {
        var invalid = new TokenOutcome.Failed(StatusCodes.Status403Forbidden, "invalid_grant", "Invalid authorization code");
        if (request.Code is null || !_codes.TryGetValue(request.Code, out var code) || code.App != app
            || !string.Equals(code.RedirectUri, request.RedirectUri, StringComparison.Ordinal))
        {
            return invalid;
        }

        if (code.Used)
        {
            // RFC 6749 4.1.2: a code used twice revokes the tokens issued for it.
            if (code.Family is { } issued)
            {
                issued.Revoked = true;
            }

            return invalid;
        }

        code.Used = true;
        if (now - code.IssuedAt > TimeSpan.FromSeconds(_settings.CodeLifetimeSeconds!.Value))
        {
            return invalid;
        }

        var family = new TokenFamily
        {
            App = app,
            User = code.User,
            CloudId = code.CloudId,
            Scopes = code.Scopes,
            ConsentedAt = now,
        };
        code.Family = family;
        return Issue(family, now);
    }

    private TokenOutcome Refresh(OAuthApp app, string? value, DateTimeOffset now)
    {
        var invalid = new TokenOutcome.Failed(StatusCodes.Status403Forbidden, "invalid_grant", "Unknown or invalid refresh token.");
        if (value is null || !_refreshTokens.TryGetValue(value, out var token) || token.Family.App != app || token.Family.Revoked)
        {
            return invalid;
        }

        if (now - token.IssuedAt > TimeSpan.FromSeconds(_settings.RefreshTokenInactivitySeconds!.Value)
            || now - token.Family.ConsentedAt > TimeSpan.FromSeconds(_settings.RefreshTokenAbsoluteSeconds!.Value))
        {
            return invalid;
        }

        if (token.RotatedAt is { } rotated)
        {
            if (now - rotated > TimeSpan.FromSeconds(_settings.ReuseIntervalSeconds!.Value))
            {
                // Reuse after the interval: every refresh token of the grant is revoked; the user must consent again.
                token.Family.Revoked = true;
                return invalid;
            }
        }
        else
        {
            token.RotatedAt = now;
        }

        return Issue(token.Family, now);
    }

    private TokenOutcome.Issued Issue(TokenFamily family, DateTimeOffset now)
    {
        var lifetime = _settings.AccessTokenLifetimeSeconds!.Value;
        var access = new AccessTokenRecord { Value = NewSecret(48), Family = family, ExpiresAt = now.AddSeconds(lifetime) };
        _accessTokens[access.Value] = access;
        string? refresh = null;
        if (family.Has(OfflineAccess))
        {
            var record = new RefreshTokenRecord { Value = NewSecret(48), Family = family, IssuedAt = now };
            _refreshTokens[record.Value] = record;
            refresh = record.Value;
        }

        return new TokenOutcome.Issued(access.Value, lifetime, refresh, string.Join(' ', family.Scopes));
    }

    /// <summary>The grant behind a valid, unexpired access token of a family that was not revoked.</summary>
    internal TokenFamily? Authorize(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        lock (_gate)
        {
            return _accessTokens.TryGetValue(accessToken, out var token) && !token.Family.Revoked && token.ExpiresAt > Clock
                ? token.Family
                : null;
        }
    }
}

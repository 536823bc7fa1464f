using System.Security.Cryptography;

namespace AtlassianEmulator;

/// <summary>Lifetimes of the authorization server (PUT /_emulator/oauth/settings); null members keep their value.</summary>
public sealed class OAuthSettings
{
    public const int DefaultAccessTokenLifetimeSeconds = 3600;
    public const int DefaultRefreshTokenInactivitySeconds = 90 * 24 * 3600;
    public const int DefaultRefreshTokenAbsoluteSeconds = 365 * 24 * 3600;
    public const int DefaultReuseIntervalSeconds = 600;
    public const int DefaultCodeLifetimeSeconds = 600;

    /// <summary>expires_in of access tokens (Atlassian: 1 hour).</summary>
    public int? AccessTokenLifetimeSeconds { get; set; }

    /// <summary>A refresh token unused this long expires (Atlassian: 90 days).</summary>
    public int? RefreshTokenInactivitySeconds { get; set; }

    /// <summary>No refresh token of a grant works after this long from consent (Atlassian: 365 days).</summary>
    public int? RefreshTokenAbsoluteSeconds { get; set; }

    /// <summary>A rotated refresh token may still be exchanged this long after its first use (Atlassian: 10 minutes).</summary>
    public int? ReuseIntervalSeconds { get; set; }

    /// <summary>How long an authorization code can be exchanged.</summary>
    public int? CodeLifetimeSeconds { get; set; }

    internal static OAuthSettings Defaults() => new()
    {
        AccessTokenLifetimeSeconds = DefaultAccessTokenLifetimeSeconds,
        RefreshTokenInactivitySeconds = DefaultRefreshTokenInactivitySeconds,
        RefreshTokenAbsoluteSeconds = DefaultRefreshTokenAbsoluteSeconds,
        ReuseIntervalSeconds = DefaultReuseIntervalSeconds,
        CodeLifetimeSeconds = DefaultCodeLifetimeSeconds,
    };
}

/// <summary>An OAuth 2.0 (3LO) app as registered in the developer console.</summary>
public sealed class OAuthApp
{
    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public required string Name { get; init; }

    /// <summary>Callback URLs; the redirect_uri of a request must equal one of them exactly.</summary>
    public required IReadOnlyList<string> RedirectUris { get; init; }

    /// <summary>Scopes the app has added in the console.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }
}

/// <summary>Body of POST /_emulator/oauth/apps; omitted members get fresh values.</summary>
public sealed class OAuthAppRequest
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? Name { get; set; }

    public IReadOnlyList<string>? RedirectUris { get; set; }

    public IReadOnlyList<string>? Scopes { get; set; }
}

/// <summary>Body of POST /_emulator/oauth/clock.</summary>
public sealed class ClockRequest
{
    public int? AdvanceSeconds { get; set; }
}

/// <summary>The authorization server's clock.</summary>
public sealed record ClockState(DateTimeOffset Now, long OffsetSeconds);

/// <summary>A secret the authorization server issued, for tests that search output for leaks.</summary>
public sealed record IssuedSecret(string Kind, string Value, string Status);

/// <summary>A Jira Cloud site as the authorization server and the API gateway know it.</summary>
internal sealed record OAuthSite(string CloudId, string Name, string AvatarUrl);

/// <summary>One consent: the user, the site and the scopes. Every refresh token of a grant belongs to its family.</summary>
internal sealed class TokenFamily
{
    public required OAuthApp App { get; init; }

    public required UserAccount User { get; init; }

    public required string CloudId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required DateTimeOffset ConsentedAt { get; init; }

    public bool Revoked { get; set; }

    public bool Has(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}

internal sealed class AuthorizationRequestState
{
    public required string Id { get; init; }

    public required OAuthApp App { get; init; }

    public required string RedirectUri { get; init; }

    public required string? State { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public UserAccount? User { get; set; }
}

internal sealed class AuthorizationCode
{
    public required string Value { get; init; }

    public required OAuthApp App { get; init; }

    public required string RedirectUri { get; init; }

    public required UserAccount User { get; init; }

    public required string CloudId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public bool Used { get; set; }

    public TokenFamily? Family { get; set; }
}

internal sealed class RefreshTokenRecord
{
    public required string Value { get; init; }

    public required TokenFamily Family { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>When it was first exchanged; null while it is the newest of its family.</summary>
    public DateTimeOffset? RotatedAt { get; set; }
}

internal sealed class AccessTokenRecord
{
    public required string Value { get; init; }

    public required TokenFamily Family { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>What the token endpoint answers: a token pair, or an OAuth error with its status.</summary>
internal abstract record TokenOutcome
{
    private TokenOutcome()
    {
    }

    public sealed record Issued(string AccessToken, int ExpiresIn, string? RefreshToken, string Scope) : TokenOutcome;

    public sealed record Failed(int Status, string Error, string Description) : TokenOutcome;
}

/// <summary>
/// auth.atlassian.com and the OAuth side of api.atlassian.com: apps, the consent transaction, single-use codes bound
/// to client and redirect URI, rotating refresh tokens with the reuse interval and breach detection, access tokens,
/// and a clock that tests can move forward. Thread-safe (one lock).
/// </summary>
public sealed partial class OAuthServer
{
    public const string Audience = "api.atlassian.com";
    public const string SiteCloudId = "3f1c9a2e-6b7d-4e58-9c0a-1d2e3f4a5b6c";
    public const string SeedClientId = "emuOAuthClient7Hq2Lw9Xz4Rb";
    public const string SeedClientSecret = "ATOAemu-client-secret-9xQ4vR7mK2pL5nB8sD3fG6hJ1";
    public const string SeedRedirectUri = "https://example.com/auth/oauthCallback";
    public const string OfflineAccess = "offline_access";

    /// <summary>Classic scopes the seeded app and new apps may request (the connector guide's, plus two others).</summary>
    public static readonly IReadOnlyList<string> KnownScopes =
    [
        "read:jira-work", "write:jira-work", "manage:jira-configuration", "read:jira-user", OfflineAccess,
        "manage:jira-project", "manage:jira-automation", "manage:jira-webhook", "read:me", "read:confluence-content.summary",
    ];

    /// <summary>Scopes of the seeded scoped API tokens.</summary>
    public static readonly IReadOnlyList<string> ScopedApiTokenScopes = ["read:jira-work", "read:jira-user"];

    private readonly Lock _gate = new();
    private readonly Func<string> _siteUrl;
    private readonly Dictionary<string, OAuthApp> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationRequestState> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenRecord> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessTokenRecord> _accessTokens = new(StringComparer.Ordinal);
    private OAuthSettings _settings = OAuthSettings.Defaults();
    private TimeSpan _offset;

    internal OAuthServer(Func<string> siteUrl)
    {
        _siteUrl = siteUrl;
        Reset();
    }

    /// <summary>The emulated site: its cloudId, its name and (its URL is the emulator's).</summary>
    internal OAuthSite Site { get; } = new(SiteCloudId, "emulator", "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png");

    internal string SiteUrl => _siteUrl();

    /// <summary>The authorization server's time: the system clock moved by <see cref="AdvanceClock"/>. Read under the lock.</summary>
    private DateTimeOffset Clock => DateTimeOffset.UtcNow + _offset;

    /// <summary>Back to the seeded app and default lifetimes; every code and token is forgotten; the clock is reset.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _apps.Clear();
            _requests.Clear();
            _codes.Clear();
            _refreshTokens.Clear();
            _accessTokens.Clear();
            _settings = OAuthSettings.Defaults();
            _offset = TimeSpan.Zero;
            var seed = new OAuthApp
            {
                ClientId = SeedClientId,
                ClientSecret = SeedClientSecret,
                Name = "Emulator Integration",
                RedirectUris = [SeedRedirectUri],
                Scopes = KnownScopes,
            };
            _apps[seed.ClientId] = seed;
            ResetClientCredentials();
        }
    }

    public OAuthSettings GetSettings()
    {
        lock (_gate)
        {
            return Copy(_settings);
        }
    }

    public OAuthSettings UpdateSettings(OAuthSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var value in new[] { settings.AccessTokenLifetimeSeconds, settings.RefreshTokenInactivitySeconds, settings.RefreshTokenAbsoluteSeconds, settings.ReuseIntervalSeconds, settings.CodeLifetimeSeconds })
        {
            if (value is < 0)
            {
                throw new ArgumentException("Lifetimes must not be negative.");
            }
        }

        lock (_gate)
        {
            _settings.AccessTokenLifetimeSeconds = settings.AccessTokenLifetimeSeconds ?? _settings.AccessTokenLifetimeSeconds;
            _settings.RefreshTokenInactivitySeconds = settings.RefreshTokenInactivitySeconds ?? _settings.RefreshTokenInactivitySeconds;
            _settings.RefreshTokenAbsoluteSeconds = settings.RefreshTokenAbsoluteSeconds ?? _settings.RefreshTokenAbsoluteSeconds;
            _settings.ReuseIntervalSeconds = settings.ReuseIntervalSeconds ?? _settings.ReuseIntervalSeconds;
            _settings.CodeLifetimeSeconds = settings.CodeLifetimeSeconds ?? _settings.CodeLifetimeSeconds;
            return Copy(_settings);
        }
    }

    /// <summary>Moves the authorization server's clock forward (codes, tokens, reuse interval, inactivity).</summary>
    public ClockState AdvanceClock(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentException("The clock only moves forward.");
        }

        lock (_gate)
        {
            _offset += by;
            return new ClockState(Clock, (long)_offset.TotalSeconds);
        }
    }

    public IReadOnlyList<OAuthApp> Apps
    {
        get
        {
            lock (_gate)
            {
                return [.. _apps.Values];
            }
        }
    }

    /// <summary>Registers (or replaces, by client id) an app.</summary>
    public OAuthApp RegisterApp(OAuthAppRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var redirects = request.RedirectUris ?? [];
        foreach (var uri in redirects)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"redirectUris: '{uri}' is not an absolute http(s) URL.");
            }
        }

        var scopes = request.Scopes ?? KnownScopes;
        if (scopes.FirstOrDefault(s => !KnownScopes.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"scopes: '{unknown}' is not a scope the emulator knows.");
        }

        var app = new OAuthApp
        {
            ClientId = request.ClientId ?? "emuOAuthClient" + NewSecret(12),
            ClientSecret = request.ClientSecret ?? "ATOAemu-" + NewSecret(40),
            Name = request.Name ?? "Test Integration",
            RedirectUris = [.. redirects],
            Scopes = [.. scopes],
        };
        lock (_gate)
        {
            _apps[app.ClientId] = app;
        }

        return app;
    }

    /// <summary>Every code and token issued so far, with its state (codes: issued/used; tokens: active/rotated/revoked/expired).</summary>
    public IReadOnlyList<IssuedSecret> IssuedSecrets()
    {
        lock (_gate)
        {
            var now = Clock;
            return
            [
                .. _codes.Values.Select(c => new IssuedSecret("code", c.Value, c.Used ? "used" : "issued")),
                .. _accessTokens.Values.Select(a => new IssuedSecret("access_token", a.Value, a.Family.Revoked ? "revoked" : a.ExpiresAt <= now ? "expired" : "active")),
                .. _refreshTokens.Values.Select(r => new IssuedSecret("refresh_token", r.Value, r.Family.Revoked ? "revoked" : r.RotatedAt is null ? "active" : "rotated")),
            ];
        }
    }

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

    internal static string NewSecret(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static OAuthSettings Copy(OAuthSettings s) => new()
    {
        AccessTokenLifetimeSeconds = s.AccessTokenLifetimeSeconds,
        RefreshTokenInactivitySeconds = s.RefreshTokenInactivitySeconds,
        RefreshTokenAbsoluteSeconds = s.RefreshTokenAbsoluteSeconds,
        ReuseIntervalSeconds = s.ReuseIntervalSeconds,
        CodeLifetimeSeconds = s.CodeLifetimeSeconds,
    };
}

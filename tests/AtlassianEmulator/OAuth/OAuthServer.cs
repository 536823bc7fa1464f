using System.Security.Cryptography;

namespace AtlassianEmulator;

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

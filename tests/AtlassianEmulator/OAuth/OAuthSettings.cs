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

namespace AtlassianEmulator;

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

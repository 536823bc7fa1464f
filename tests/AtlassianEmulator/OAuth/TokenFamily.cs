namespace AtlassianEmulator;

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

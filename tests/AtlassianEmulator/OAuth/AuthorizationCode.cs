namespace AtlassianEmulator;

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

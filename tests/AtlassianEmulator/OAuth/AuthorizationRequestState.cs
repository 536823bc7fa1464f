namespace AtlassianEmulator;

internal sealed class AuthorizationRequestState
{
    public required string Id { get; init; }

    public required OAuthApp App { get; init; }

    public required string RedirectUri { get; init; }

    public required string? State { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public UserAccount? User { get; set; }
}

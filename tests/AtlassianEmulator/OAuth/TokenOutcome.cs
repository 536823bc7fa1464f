namespace AtlassianEmulator;

/// <summary>What the token endpoint answers: a token pair, or an OAuth error with its status.</summary>
internal abstract record TokenOutcome
{
    private TokenOutcome()
    {
    }

    public sealed record Issued(string AccessToken, int ExpiresIn, string? RefreshToken, string Scope) : TokenOutcome;

    public sealed record Failed(int Status, string Error, string Description) : TokenOutcome;
}

namespace AtlassianEmulator;

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

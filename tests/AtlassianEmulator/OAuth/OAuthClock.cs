namespace AtlassianEmulator;

/// <summary>Body of POST /_emulator/oauth/clock.</summary>
public sealed class ClockRequest
{
    public int? AdvanceSeconds { get; set; }
}

/// <summary>The authorization server's clock.</summary>
public sealed record ClockState(DateTimeOffset Now, long OffsetSeconds);

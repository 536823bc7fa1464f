namespace AtlassianEmulator;

/// <summary>Instance settings an administrator could change (GET/PUT /_emulator/settings).</summary>
public sealed class EmulatorSettings
{
    /// <summary>Data Center: when false every Basic request gets 403; personal access tokens still work.</summary>
    public bool? BasicAuthEnabled { get; set; }

    /// <summary>Burst limit in requests per second per endpoint (GET/POST; half of it for PUT/DELETE); 0 turns it off.</summary>
    public int? BurstLimit { get; set; }

    /// <summary>The Bearer token POST /listener accepts.</summary>
    public string? ListenerToken { get; set; }
}

/// <summary>Body of POST /_emulator/tokens/revoke.</summary>
public sealed class RevokeRequest
{
    public string? Login { get; set; }
}

/// <summary>Body of POST /_emulator/projects.</summary>
public sealed class ProjectSeedRequest
{
    public int? Count { get; set; }

    public int? Archived { get; set; }

    public int? Issues { get; set; }
}

/// <summary>What is seeded right now.</summary>
public sealed record SeedSummary(int Projects, int Archived, int Issues);

namespace AtlassianEmulator;

/// <summary>Which Atlassian product the emulator stands in for.</summary>
public enum EmulatorFlavor
{
    /// <summary>A Jira Cloud site: REST under /rest/api/3 (and /rest/api/2), API tokens, no PATs.</summary>
    Cloud,

    /// <summary>Jira Data Center 10.3: REST under /rest/api/2 only, passwords and personal access tokens.</summary>
    DataCenter,
}

/// <summary>Start-up options; they are also the seed that <see cref="EmulatorState.Reset"/> returns to.</summary>
public sealed class EmulatorOptions
{
    public const int DefaultProjects = 25;
    public const int DefaultIssues = 120;

    /// <summary>TCP port on 127.0.0.1; 0 lets the operating system choose a free one.</summary>
    public int Port { get; set; }

    /// <summary>Number of live projects to seed.</summary>
    public int Projects { get; set; } = DefaultProjects;

    public EmulatorFlavor Flavor { get; set; } = EmulatorFlavor.Cloud;

    /// <summary>Number of issues to seed, all in the first project in key order.</summary>
    public int Issues { get; set; } = DefaultIssues;

    /// <summary>Burst limit in requests per second per endpoint; 0 (the default) means no limit.</summary>
    public int BurstLimit { get; set; }

    internal EmulatorOptions Clone() => (EmulatorOptions)MemberwiseClone();

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "The port must be between 0 and 65535.");
        }

        if (BurstLimit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BurstLimit), BurstLimit, "The burst limit must be 0 (off) or positive.");
        }

        ProjectCatalog.ValidateCounts(Projects, archived: 0);
        IssueCatalog.ValidateCount(Issues);
    }
}

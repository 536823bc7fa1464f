namespace AtlassianEmulator;

/// <summary>A project category as Jira returns it inside a project.</summary>
public sealed record ProjectCategory(string Id, string Name, string Description);

/// <summary>One seeded project. Immutable; a reseed replaces the whole catalog.</summary>
public sealed class Project
{
    internal Project(int position, string key, string name, string typeKey, bool simplified, ProjectCategory? category, DateTimeOffset? archivedDate)
    {
        Position = position;
        Id = (ProjectCatalog.FirstProjectId + position).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Key = key;
        Name = name;
        TypeKey = typeKey;
        Simplified = simplified;
        Category = category;
        ArchivedDate = archivedDate;
    }

    /// <summary>Zero-based position in key order across the whole catalog (live projects first).</summary>
    public int Position { get; }

    public string Id { get; }

    public string Key { get; }

    public string Name { get; }

    /// <summary>software, business or service_desk.</summary>
    public string TypeKey { get; }

    /// <summary>True for team-managed ("next-gen") projects.</summary>
    public bool Simplified { get; }

    public string Style => Simplified ? "next-gen" : "classic";

    public ProjectCategory? Category { get; }

    public bool Archived => ArchivedDate is not null;

    public DateTimeOffset? ArchivedDate { get; }

    public string Description => $"{Name} project, seeded by the Atlassian emulator.";
}

namespace AtlassianEmulator;

public sealed record IssueStatus(string Id, string Name, string Description, int CategoryId, string CategoryKey, string CategoryColor, string CategoryName);

public sealed record IssuePriority(string Id, string Name);

public sealed record IssueType(string Id, string Name, string Description, bool Subtask, int HierarchyLevel);

/// <summary>One seeded issue. Immutable; a reseed replaces the whole catalog.</summary>
public sealed class Issue
{
    public required int Number { get; init; }

    public required string Id { get; init; }

    public required string Key { get; init; }

    public required Project Project { get; init; }

    public required string Summary { get; init; }

    public required IssueStatus Status { get; init; }

    public required IssuePriority Priority { get; init; }

    public required IssueType Type { get; init; }

    public UserAccount? Assignee { get; init; }

    public required UserAccount Reporter { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Updated { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }
}

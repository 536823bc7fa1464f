namespace AtlassianEmulator;

public sealed record IssueStatus(string Id, string Name, string Description, int CategoryId, string CategoryKey, string CategoryColor, string CategoryName);

public sealed record IssuePriority(string Id, string Name);

public sealed record IssueType(string Id, string Name, string Description, bool Subtask, int HierarchyLevel);

/// <summary>What changes in an issue, as one immutable value: its status and when it last changed.</summary>
public sealed record IssueState(IssueStatus Status, DateTimeOffset Updated);

/// <summary>
/// One issue, seeded or created through the REST API. Only its <see cref="State"/> changes, through
/// <see cref="IssueCatalog.Transition"/>; a reseed replaces the whole catalog.
/// </summary>
public sealed class Issue
{
    private volatile IssueState _state = null!;

    /// <summary>Position in the catalog (creation order); the slot of its rendered fields.</summary>
    public int Index { get; init; }

    public required int Number { get; init; }

    public required string Id { get; init; }

    public required string Key { get; init; }

    public required Project Project { get; init; }

    public required string Summary { get; init; }

    /// <summary>The status and update time, replaced together: read it once to see both of one moment.</summary>
    public required IssueState State
    {
        get => _state;
        init => _state = value;
    }

    public IssueStatus Status => _state.Status;

    public required IssuePriority Priority { get; init; }

    public required IssueType Type { get; init; }

    public UserAccount? Assignee { get; init; }

    public required UserAccount Reporter { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated => _state.Updated;

    internal void SetStatus(IssueStatus status, DateTimeOffset when) => _state = new IssueState(status, when);

    public required IReadOnlyList<string> Labels { get; init; }
}

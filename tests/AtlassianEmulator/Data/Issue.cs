namespace AtlassianEmulator;

public sealed record IssueStatus(string Id, string Name, string Description, int CategoryId, string CategoryKey, string CategoryColor, string CategoryName);

public sealed record IssuePriority(string Id, string Name);

public sealed record IssueType(string Id, string Name, string Description, bool Subtask, int HierarchyLevel);

/// <summary>
/// One issue, seeded or created through the REST API. Only its status (and with it <see cref="Updated"/>) changes,
/// through <see cref="IssueCatalog.Transition"/>; a reseed replaces the whole catalog.
/// </summary>
public sealed class Issue
{
    private volatile IssueStatus _status = null!;
    private readonly Lock _gate = new();
    private DateTimeOffset _updated;

    /// <summary>Position in the catalog (creation order); the slot of its rendered fields.</summary>
    public int Index { get; init; }

    public required int Number { get; init; }

    public required string Id { get; init; }

    public required string Key { get; init; }

    public required Project Project { get; init; }

    public required string Summary { get; init; }

    public required IssueStatus Status
    {
        get => _status;
        init => _status = value;
    }

    public required IssuePriority Priority { get; init; }

    public required IssueType Type { get; init; }

    public UserAccount? Assignee { get; init; }

    public required UserAccount Reporter { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Updated
    {
        get { lock (_gate) return _updated; }
        init => _updated = value;
    }

    /// <summary>Moves the issue to a status; the caller drops its rendered fields.</summary>
    internal void SetStatus(IssueStatus status, DateTimeOffset when)
    {
        lock (_gate) _updated = when;
        _status = status;
    }

    public required IReadOnlyList<string> Labels { get; init; }
}

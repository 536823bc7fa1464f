namespace AtlassianEmulator;

public sealed record IssueStatus(string Id, string Name, string Description, int CategoryId, string CategoryKey, string CategoryColor, string CategoryName);

public sealed record IssuePriority(string Id, string Name);

public sealed record IssueType(string Id, string Name, string Description, bool Subtask, int HierarchyLevel);

/// <summary>
/// What changes in an issue, as one immutable value: its status, when it last changed, the fields edited through
/// PUT issue (null = as created) and the SLA breached through the admin API.
/// </summary>
public sealed record IssueState(IssueStatus Status, DateTimeOffset Updated)
{
    public string? Summary { get; init; }

    public IssuePriority? Priority { get; init; }

    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>A Service Management SLA of the issue; null until one is raised.</summary>
    public IssueSla? Sla { get; init; }
}

/// <summary>A Jira Service Management SLA on an issue (the "Time to resolution" kind): its goal, when its cycle started and whether it is breached.</summary>
public sealed record IssueSla(string Id, string Name, TimeSpan Goal, DateTimeOffset Started, bool Breached);

/// <summary>
/// One issue, seeded or created through the REST API. Only its <see cref="State"/> changes, through
/// <see cref="IssueCatalog.Transition"/>, <see cref="IssueCatalog.Edit"/> and <see cref="IssueCatalog.BreachSla"/>;
/// a reseed replaces the whole catalog.
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

    private readonly string _summary = string.Empty;
    private readonly IssuePriority _priority = null!;
    private readonly IReadOnlyList<string> _labels = [];

    public required string Summary
    {
        get => _state.Summary ?? _summary;
        init => _summary = value;
    }

    /// <summary>The status and update time, replaced together: read it once to see both of one moment.</summary>
    public required IssueState State
    {
        get => _state;
        init => _state = value;
    }

    public IssueStatus Status => _state.Status;

    public required IssuePriority Priority
    {
        get => _state.Priority ?? _priority;
        init => _priority = value;
    }

    public required IssueType Type { get; init; }

    public UserAccount? Assignee { get; init; }

    public required UserAccount Reporter { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated => _state.Updated;

    internal void SetStatus(IssueStatus status, DateTimeOffset when) => _state = _state with { Status = status, Updated = when };

    internal void SetState(IssueState state) => _state = state;

    public required IReadOnlyList<string> Labels
    {
        get => _state.Labels ?? _labels;
        init => _labels = value;
    }

    /// <summary>The Service Management SLA raised on the issue; null when none was.</summary>
    public IssueSla? Sla => _state.Sla;
}

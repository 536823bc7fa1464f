namespace AtlassianEmulator;

/// <summary>
/// The deterministic issue seed: issues KEY-1 ... KEY-N in the first live project (in key order),
/// cycling through statuses, priorities, types, assignees and labels; plus the issues created through the REST API
/// and the transitions made to any issue since.
/// </summary>
internal sealed class IssueCatalog
{
    public const int MaxIssues = 1_000_000;
    private const int FirstIssueId = 10000;

    internal static readonly IssueStatus[] Statuses =
    [
        new("10000", "To Do", "Work that has not been started.", 2, "new", "blue-gray", "To Do"),
        new("3", "In Progress", "This issue is being actively worked on.", 4, "indeterminate", "yellow", "In Progress"),
        new("10001", "Done", "Work that is finished.", 3, "done", "green", "Done"),
    ];

    internal static readonly IssuePriority[] Priorities =
    [
        new("3", "Medium"), new("2", "High"), new("4", "Low"), new("1", "Highest"), new("5", "Lowest"),
    ];

    internal static readonly IssueType[] Types =
    [
        new("10001", "Task", "A small, distinct piece of work.", false, 0),
        new("10004", "Bug", "A problem or error.", false, 0),
        new("10002", "Story", "A user story.", false, 0),
    ];

    private static readonly string[] Summaries =
    [
        "Cannot connect to the VPN from home",
        "Laptop replacement for new starter",
        "Update the onboarding checklist",
        "Login page returns an error after password reset",
        "Add export to CSV on the reports page",
        "Renew the TLS certificate for the intranet",
        "Printer on floor 3 is offline",
        "Review access rights for the finance share",
    ];

    private static readonly string[][] LabelSets = [[], ["vpn"], ["onboarding", "hr"], [], ["security"]];

    private static readonly DateTimeOffset Epoch = new(2024, 1, 8, 9, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Issue> _seeded;
    private readonly Dictionary<string, Issue> _created = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _lastNumber = new(StringComparer.OrdinalIgnoreCase);
    private volatile Issue[] _issues;

    private IssueCatalog(Issue[] issues)
    {
        _issues = issues;
        FieldCache = new RenderCache<IssueFieldsJson>(issues.Length);
        _seeded = new Dictionary<string, Issue>(issues.Length * 2, StringComparer.OrdinalIgnoreCase);
        foreach (var issue in issues)
        {
            _seeded.Add(issue.Key, issue);
            _seeded.Add(issue.Id, issue);
            _lastNumber[issue.Project.Key] = Math.Max(_lastNumber.GetValueOrDefault(issue.Project.Key), issue.Number);
        }
    }

    /// <summary>Rendered fields of each issue in its current <see cref="Issue.State"/>, filled on first use; indexed by <see cref="Issue.Index"/>.</summary>
    public RenderCache<IssueFieldsJson> FieldCache { get; }

    /// <summary>Every issue: the seeded ones in issue-number order, then the created ones in creation order.</summary>
    public IReadOnlyList<Issue> All => _issues;

    public static void ValidateCount(int count)
    {
        if (count is < 0 or > MaxIssues)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The issue count must be between 0 and {MaxIssues}.");
        }
    }

    public static IssueCatalog Create(ProjectCatalog projects, int count, EmulatorFlavor flavor)
    {
        ValidateCount(count);
        if (projects.LiveCount == 0)
        {
            return new IssueCatalog([]);
        }

        var project = projects.All[0];
        var admin = SeedUsers.Admin(flavor);
        var limited = SeedUsers.Limited(flavor);
        var issues = new Issue[count];
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var created = Epoch.AddHours(7 * i);
            issues[i] = new Issue
            {
                Index = i,
                Number = number,
                Id = (FirstIssueId + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Key = $"{project.Key}-{number}",
                Project = project,
                Summary = Summaries[i % Summaries.Length],
                State = new IssueState(Statuses[i % Statuses.Length], created.AddMinutes(45 + (i % 50))),
                Priority = Priorities[i % Priorities.Length],
                Type = Types[i % Types.Length],
                Assignee = (i % 3) switch { 0 => null, 1 => admin, _ => limited },
                Reporter = admin,
                Created = created,
                Labels = LabelSets[i % LabelSets.Length],
            };
        }

        return new IssueCatalog(issues);
    }

    public Issue? Find(string idOrKey)
    {
        if (_seeded.TryGetValue(idOrKey, out var issue))
        {
            return issue;
        }

        lock (_gate)
        {
            return _created.GetValueOrDefault(idOrKey);
        }
    }

    /// <summary>Creates an issue in a project (status To Do, unassigned), numbered after the project's last issue.</summary>
    public Issue Add(Project project, string summary, IssueType type, IssuePriority priority, IReadOnlyList<string> labels, UserAccount reporter)
    {
        lock (_gate)
        {
            var all = _issues;
            var number = _lastNumber.GetValueOrDefault(project.Key) + 1;
            _lastNumber[project.Key] = number;
            var now = DateTimeOffset.UtcNow;
            var issue = new Issue
            {
                Index = all.Length,
                Number = number,
                Id = (FirstIssueId + all.Length).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Key = $"{project.Key}-{number}",
                Project = project,
                Summary = summary,
                State = new IssueState(Statuses[0], now),
                Priority = priority,
                Type = type,
                Assignee = null,
                Reporter = reporter,
                Created = now,
                Labels = labels,
            };
            FieldCache.EnsureCapacity(all.Length + 1);
            var grown = new Issue[all.Length + 1];
            Array.Copy(all, grown, all.Length);
            grown[all.Length] = issue;
            _created[issue.Key] = issue;
            _created[issue.Id] = issue;
            _issues = grown;
            return issue;
        }
    }

    /// <summary>Moves an issue to another status (its rendered fields, of the old state, are no longer served).</summary>
    public void Transition(Issue issue, IssueStatus status) => issue.SetStatus(status, DateTimeOffset.UtcNow);

    /// <summary>Changes fields of an issue (null = unchanged); returns the ids of the fields whose value changed.</summary>
    public IReadOnlyList<string> Edit(Issue issue, string? summary, IssuePriority? priority, IReadOnlyList<string>? labels)
    {
        lock (_gate)
        {
            var changed = new List<string>();
            var state = issue.State;
            if (summary is not null && summary != issue.Summary)
            {
                state = state with { Summary = summary };
                changed.Add("summary");
            }

            if (priority is not null && priority.Id != issue.Priority.Id)
            {
                state = state with { Priority = priority };
                changed.Add("priority");
            }

            if (labels is not null && !labels.Order(StringComparer.Ordinal).SequenceEqual(issue.Labels.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                state = state with { Labels = [.. labels] };
                changed.Add("labels");
            }

            if (changed.Count > 0)
            {
                issue.SetState(state with { Updated = DateTimeOffset.UtcNow });
            }

            return changed;
        }
    }

    /// <summary>Marks the issue's SLA <paramref name="name"/> breached: its cycle started <paramref name="goal"/> and a little more ago.</summary>
    public IssueSla BreachSla(Issue issue, string name, TimeSpan goal)
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            var sla = new IssueSla(SlaId(name), name, goal, now - goal - TimeSpan.FromMinutes(1), Breached: true);
            issue.SetState(issue.State with { Sla = sla, Updated = now });
            return sla;
        }
    }

    private static string SlaId(string name) =>
        name.Equals("Time to first response", StringComparison.OrdinalIgnoreCase) ? "1" : "2";
}

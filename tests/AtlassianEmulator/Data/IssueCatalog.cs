namespace AtlassianEmulator;

/// <summary>
/// The deterministic issue seed: issues KEY-1 ... KEY-N in the first live project (in key order),
/// cycling through statuses, priorities, types, assignees and labels.
/// </summary>
internal sealed class IssueCatalog
{
    public const int MaxIssues = 1_000_000;
    private const int FirstIssueId = 10000;

    private static readonly IssueStatus[] Statuses =
    [
        new("10000", "To Do", "Work that has not been started.", 2, "new", "blue-gray", "To Do"),
        new("3", "In Progress", "This issue is being actively worked on.", 4, "indeterminate", "yellow", "In Progress"),
        new("10001", "Done", "Work that is finished.", 3, "done", "green", "Done"),
    ];

    private static readonly IssuePriority[] Priorities =
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

    private readonly Issue[] _issues;
    private readonly Dictionary<string, Issue> _byKeyOrId;

    private IssueCatalog(Issue[] issues)
    {
        _issues = issues;
        FieldCache = new RenderCache<IssueFieldsJson>(issues.Length);
        _byKeyOrId = new Dictionary<string, Issue>(issues.Length * 2, StringComparer.OrdinalIgnoreCase);
        foreach (var issue in issues)
        {
            _byKeyOrId.Add(issue.Key, issue);
            _byKeyOrId.Add(issue.Id, issue);
        }
    }

    /// <summary>Rendered fields of each issue, filled on first use; indexed by issue number - 1.</summary>
    public RenderCache<IssueFieldsJson> FieldCache { get; }

    /// <summary>Every issue in issue-number order.</summary>
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
                Number = number,
                Id = (FirstIssueId + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Key = $"{project.Key}-{number}",
                Project = project,
                Summary = Summaries[i % Summaries.Length],
                Status = Statuses[i % Statuses.Length],
                Priority = Priorities[i % Priorities.Length],
                Type = Types[i % Types.Length],
                Assignee = (i % 3) switch { 0 => null, 1 => admin, _ => limited },
                Reporter = admin,
                Created = created,
                Updated = created.AddMinutes(45 + (i % 50)),
                Labels = LabelSets[i % LabelSets.Length],
            };
        }

        return new IssueCatalog(issues);
    }

    public Issue? Find(string idOrKey) => _byKeyOrId.GetValueOrDefault(idOrKey);
}

using System.Globalization;

namespace AtlassianEmulator;

/// <summary>
/// The deterministic project seed: a few realistic projects, then generated keys <c>P</c> + four letters
/// (PAAAA, PAAAB, ...), then archived projects <c>Z</c> + four letters. Keys sort ordinally in that order,
/// so a project's <see cref="Project.Position"/> is its index in key order.
/// </summary>
internal sealed class ProjectCatalog
{
    public const int FirstProjectId = 10000;
    private const int GeneratedKeyLetters = 4;
    private const int GeneratedKeyCapacity = 26 * 26 * 26 * 26;

    private static readonly ProjectCategory Engineering = new("10000", "Engineering", "Software delivery teams");
    private static readonly ProjectCategory Business = new("10001", "Business", "Business teams");
    private static readonly ProjectCategory Support = new("10002", "Support", "Service and support teams");

    private static readonly (string Key, string Name, string Type, bool Simplified, ProjectCategory? Category)[] Realistic =
    [
        ("DEV", "Development", "software", false, Engineering),
        ("FIN", "Finance", "business", false, Business),
        ("HR", "Human Resources", "business", true, Business),
        ("IT", "IT Service Desk", "service_desk", false, Support),
        ("MKT", "Marketing", "business", true, null),
        ("OPS", "Operations", "software", false, Engineering),
    ];

    private static readonly string[] TypeKeys = ["software", "business", "service_desk"];

    private static readonly string[] NameWords =
    [
        "Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Harbor",
        "Iris", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchid", "Quartz",
    ];

    private static readonly DateTimeOffset ArchiveEpoch = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, Project> _byKey;
    private readonly Dictionary<string, Project> _byId;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(ProjectVisibility, bool, bool), Project[]> _browsable = new();

    private ProjectCatalog(Project[] all, int liveCount)
    {
        All = all;
        LiveCount = liveCount;
        _byKey = new Dictionary<string, Project>(all.Length, StringComparer.OrdinalIgnoreCase);
        _byId = new Dictionary<string, Project>(all.Length, StringComparer.Ordinal);
        foreach (var project in all)
        {
            _byKey.Add(project.Key, project);
            _byId.Add(project.Id, project);
        }

        JsonCache = new RenderCache<byte[]>(all.Length);
    }

    public static int MaxLiveProjects => Realistic.Length + GeneratedKeyCapacity;

    public static int MaxArchivedProjects => GeneratedKeyCapacity;

    /// <summary>Every project in key order: the live ones, then the archived ones.</summary>
    public IReadOnlyList<Project> All { get; }

    public int LiveCount { get; }

    public int ArchivedCount => All.Count - LiveCount;

    /// <summary>Rendered JSON of each project (list form), filled on first use; indexed by position.</summary>
    public RenderCache<byte[]> JsonCache { get; }

    public static void ValidateCounts(int live, int archived)
    {
        if (live < 0 || live > MaxLiveProjects)
        {
            throw new ArgumentOutOfRangeException(nameof(live), live, $"The project count must be between 0 and {MaxLiveProjects}.");
        }

        if (archived < 0 || archived > MaxArchivedProjects)
        {
            throw new ArgumentOutOfRangeException(nameof(archived), archived, $"The archived project count must be between 0 and {MaxArchivedProjects}.");
        }
    }

    public static ProjectCatalog Create(int live, int archived)
    {
        ValidateCounts(live, archived);
        var all = new Project[live + archived];
        for (var position = 0; position < live; position++)
        {
            all[position] = CreateLive(position);
        }

        for (var n = 0; n < archived; n++)
        {
            var position = live + n;
            all[position] = new Project(position, "Z" + Letters(n), $"Archived {n + 1:D5}", "software", false, null, ArchiveEpoch.AddDays(n % 365));
        }

        return new ProjectCatalog(all, live);
    }

    /// <summary>The projects a user with this visibility may browse, in key order, computed once per combination.</summary>
    public IReadOnlyList<Project> Browsable(ProjectVisibility visibility, bool live, bool archived) =>
        _browsable.GetOrAdd((visibility, live, archived), static (k, all) => all
            .Where(p => (p.Archived ? k.Item3 : k.Item2) && k.Item1.Allows(p))
            .ToArray(), (Project[])All);

    /// <summary>Finds a project by key (case-insensitive) or numeric id.</summary>
    public Project? Find(string idOrKey) =>
        _byKey.TryGetValue(idOrKey, out var byKey) ? byKey
        : _byId.TryGetValue(idOrKey, out var byId) ? byId
        : null;

    private static Project CreateLive(int position)
    {
        if (position < Realistic.Length)
        {
            var r = Realistic[position];
            return new Project(position, r.Key, r.Name, r.Type, r.Simplified, r.Category, null);
        }

        var n = position - Realistic.Length;
        var category = (n % 5) switch { 0 => Engineering, 1 => Business, 2 => Support, _ => null };
        var name = string.Create(CultureInfo.InvariantCulture, $"{NameWords[n % NameWords.Length]} {n + 1:D5}");
        return new Project(position, "P" + Letters(n), name, TypeKeys[n % TypeKeys.Length], n % 4 == 1, category, null);
    }

    /// <summary>Fixed-width base-26 letters, so that ordinal key order equals numeric order.</summary>
    private static string Letters(int n) =>
        string.Create(GeneratedKeyLetters, n, static (span, value) =>
        {
            for (var i = span.Length - 1; i >= 0; i--)
            {
                span[i] = (char)('A' + (value % 26));
                value /= 26;
            }
        });
}

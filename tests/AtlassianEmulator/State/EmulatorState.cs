using System.Globalization;

namespace AtlassianEmulator;

/// <summary>
/// Everything the emulator serves and every knob a test can turn: seed data, settings, faults and the
/// request log. The admin API under /_emulator calls the same members. Thread-safe.
/// </summary>
public sealed class EmulatorState
{
    private readonly EmulatorOptions _seed;
    private readonly RequestLog _requests = new();
    private readonly Lock _faultGate = new();
    private readonly List<FaultRule> _faults = [];
    private volatile Seed _current;
    private volatile bool _basicAuthEnabled = true;
    private volatile bool _hasFaults;
    private int _nextFaultId;

    internal EmulatorState(EmulatorOptions seed)
    {
        _seed = seed.Clone();
        Users = SeedUsers.For(seed.Flavor);
        _current = CreateSeed(seed.Projects, archived: 0, seed.Issues);
        BaseAddress = "http://127.0.0.1";
        OAuth = new OAuthServer(() => BaseAddress);
        Automation = new AutomationCenter(seed.Flavor);
    }

    /// <summary>Cloud: the authorization server (auth.atlassian.com) and the API gateway's OAuth side.</summary>
    public OAuthServer OAuth { get; }

    public EmulatorFlavor Flavor => _seed.Flavor;

    /// <summary>The emulator's base URL, with a trailing slash.</summary>
    public Uri BaseUrl => new(BaseAddress + "/");

    /// <summary>The base URL as Jira reports it (no trailing slash), e.g. http://127.0.0.1:5123.</summary>
    internal string BaseAddress { get; set; }

    public IReadOnlyList<UserAccount> Users { get; }

    /// <summary>Jira Automation rules, their audit log and the Data Center allowlist.</summary>
    public AutomationCenter Automation { get; }

    /// <summary>Data Center setting "allow basic authentication on API calls".</summary>
    public bool BasicAuthEnabled
    {
        get => _basicAuthEnabled;
        set => _basicAuthEnabled = value;
    }

    /// <summary>Every project in key order (live first, then archived).</summary>
    public IReadOnlyList<Project> Projects => _current.Projects.All;

    public IReadOnlyList<Issue> Issues => _current.Issues.All;

    public SeedSummary Summary => new(_current.Projects.LiveCount, _current.Projects.ArchivedCount, _current.Issues.All.Count);

    internal ProjectCatalog ProjectCatalog => _current.Projects;

    internal IssueCatalog IssueCatalog => _current.Issues;

    /// <summary>Back to the start-up seed: projects, issues, settings; faults and the request log are cleared.</summary>
    public void Reset()
    {
        _current = CreateSeed(_seed.Projects, archived: 0, _seed.Issues);
        _basicAuthEnabled = true;
        OAuth.Reset();
        Automation.Reset();
        ClearFaults();
        ClearRequests();
    }

    /// <summary>Replaces the projects (and the issues of the first project).</summary>
    /// <param name="count">Live projects.</param>
    /// <param name="archived">Archived projects, keyed after the live ones.</param>
    /// <param name="issues">Issues to seed; null keeps the current issue count.</param>
    public SeedSummary SeedProjects(int count, int archived = 0, int? issues = null)
    {
        _current = CreateSeed(count, archived, issues ?? _current.RequestedIssues);
        return Summary;
    }

    public EmulatorSettings GetSettings() => new() { BasicAuthEnabled = BasicAuthEnabled };

    /// <summary>Applies the settings that are present (null members are left unchanged).</summary>
    public EmulatorSettings UpdateSettings(EmulatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.BasicAuthEnabled is { } basic)
        {
            BasicAuthEnabled = basic;
        }

        return GetSettings();
    }

    /// <summary>Adds a fault; throws <see cref="ArgumentException"/> when the spec is invalid.</summary>
    public FaultRule AddFault(FaultSpec spec)
    {
        lock (_faultGate)
        {
            var rule = FaultRule.Create((++_nextFaultId).ToString(CultureInfo.InvariantCulture), spec);
            _faults.Add(rule);
            _hasFaults = true;
            return rule;
        }
    }

    public IReadOnlyList<FaultRule> Faults
    {
        get
        {
            lock (_faultGate)
            {
                return [.. _faults];
            }
        }
    }

    public bool RemoveFault(string id)
    {
        lock (_faultGate)
        {
            var removed = _faults.RemoveAll(f => f.Id == id) > 0;
            _hasFaults = _faults.Count > 0;
            return removed;
        }
    }

    public void ClearFaults()
    {
        lock (_faultGate)
        {
            _faults.Clear();
            _hasFaults = false;
        }
    }

    /// <summary>The request log, oldest first (at most the last 10,000 requests).</summary>
    public IReadOnlyList<RequestLogEntry> Requests => _requests.Snapshot();

    public void ClearRequests() => _requests.Clear();

    internal void LogRequest(RequestLogEntry entry) => _requests.Add(entry);

    /// <summary>The first fault that applies to this request, counting it; null when none does.</summary>
    internal FaultRule? TakeFault(string method, string path)
    {
        if (!_hasFaults)
        {
            return null;
        }

        lock (_faultGate)
        {
            foreach (var rule in _faults)
            {
                if (rule.TryApply(method, path))
                {
                    return rule;
                }
            }

            return null;
        }
    }

    internal UserAccount? FindUserByLogin(string login) =>
        Users.FirstOrDefault(u => string.Equals(u.Login, login, StringComparison.OrdinalIgnoreCase));

    internal UserAccount? FindUserByPersonalAccessToken(string token) =>
        Users.FirstOrDefault(u => u.PersonalAccessToken is { } pat && FixedTimeEquals(pat, token));

    internal static bool FixedTimeEquals(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(actual));

    private Seed CreateSeed(int projects, int archived, int issues)
    {
        IssueCatalog.ValidateCount(issues);
        var catalog = ProjectCatalog.Create(projects, archived);
        return new Seed(catalog, IssueCatalog.Create(catalog, issues, Flavor), issues);
    }

    private sealed record Seed(ProjectCatalog Projects, IssueCatalog Issues, int RequestedIssues);
}

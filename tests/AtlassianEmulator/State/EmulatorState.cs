using System.Globalization;

namespace AtlassianEmulator;

/// <summary>
/// Everything the emulator serves and every knob a test can turn: seed data, settings, faults and the
/// request log. The admin API under /_emulator calls the same members. Thread-safe.
/// </summary>
public sealed class EmulatorState
{
    private readonly EmulatorOptions _seed;
    private readonly BoundedLog<RequestLogEntry> _requests = new(RequestLogCapacity);
    private readonly Lock _faultGate = new();
    private readonly List<FaultRule> _faults = [];
    private volatile Seed _current;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _revoked = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _basicAuthEnabled = true;
    private volatile bool _hasFaults;
    private volatile string _listenerToken = DefaultListenerToken;
    private int _nextFaultId;

    /// <summary>The Bearer token the built-in listener (POST /listener) accepts until a test changes it.</summary>
    public const string DefaultListenerToken = "lsn-emu-7Hq2Vx9Kp4Wd";

    /// <summary>The request log keeps this many entries; the oldest are dropped.</summary>
    private const int RequestLogCapacity = 10_000;

    internal EmulatorState(EmulatorOptions seed)
    {
        _seed = seed.Clone();
        Users = SeedUsers.For(seed.Flavor);
        BurstLimiter = new BurstLimiter(seed.BurstLimit);
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

    /// <summary>Bearer token of the built-in listener.</summary>
    public string ListenerToken
    {
        get => _listenerToken;
        set => _listenerToken = string.IsNullOrEmpty(value) ? throw new ArgumentException("listenerToken must not be empty.") : value;
    }

    /// <summary>Jira Cloud's burst rate limit, off unless a limit is set.</summary>
    public BurstLimiter BurstLimiter { get; }

    /// <summary>Roles, groups and permissions of the current seed.</summary>
    public AccessModel Access => _current.Access;

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
        _listenerToken = DefaultListenerToken;
        BurstLimiter.Limit = _seed.BurstLimit;
        _revoked.Clear();
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

    public EmulatorSettings GetSettings() => new()
    {
        BasicAuthEnabled = BasicAuthEnabled,
        BurstLimit = BurstLimiter.Limit,
        ListenerToken = ListenerToken,
    };

    /// <summary>Applies the settings that are present (null members are left unchanged).</summary>
    public EmulatorSettings UpdateSettings(EmulatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.BurstLimit is < 0)
        {
            throw new ArgumentException("burstLimit must be 0 (off) or a positive number of requests per second.");
        }

        if (settings.ListenerToken is "")
        {
            throw new ArgumentException("listenerToken must not be empty.");
        }

        if (settings.BasicAuthEnabled is { } basic)
        {
            BasicAuthEnabled = basic;
        }

        if (settings.BurstLimit is { } limit)
        {
            BurstLimiter.Limit = limit;
        }

        if (settings.ListenerToken is { } token)
        {
            ListenerToken = token;
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

    /// <summary>Revokes the user's API token (Cloud) and personal access token (Data Center) until the next reset.</summary>
    public void RevokeTokens(string login)
    {
        var user = FindUserByLogin(login) ?? throw new ArgumentException($"No seeded user logs in as '{login}'.");
        _revoked[user.Login] = true;
    }

    internal bool TokensRevoked(UserAccount user) => _revoked.ContainsKey(user.Login);

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
        return new Seed(catalog, IssueCatalog.Create(catalog, issues, Flavor), issues, new AccessModel(Flavor, Users));
    }

    private sealed record Seed(ProjectCatalog Projects, IssueCatalog Issues, int RequestedIssues, AccessModel Access);
}

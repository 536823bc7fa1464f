using System.Text.Json.Serialization;

namespace AtlassianEmulator;

/// <summary>A Jira Automation rule "WHEN trigger THEN Send web request" (the body of POST /_emulator/automation/rules).</summary>
public sealed class AutomationRuleSpec
{
    public string? Name { get; set; }

    /// <summary>issue_created, issue_transitioned, field_value_changed (any edit) or sla_threshold_breached.</summary>
    public string? Trigger { get; set; }

    /// <summary>Only issues of this project key; default any.</summary>
    public string? Project { get; set; }

    /// <summary>issue_transitioned only: only transitions into this status name; default any.</summary>
    public string? ToStatus { get; set; }

    public string? Url { get; set; }

    /// <summary>GET, POST (default), PUT, PATCH or DELETE.</summary>
    public string? Method { get; set; }

    /// <summary>Custom headers, for example Authorization: Bearer &lt;token&gt;.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>empty, automation, jira (default), serviceManagement or custom.</summary>
    public string? Body { get; set; }

    /// <summary>For body custom: the template with smart values ({{issue.key}} or ${issue.key}).</summary>
    public string? CustomData { get; set; }

    /// <summary>For body custom: send as application/x-www-form-urlencoded.</summary>
    public bool? EncodeAsForm { get; set; }

    /// <summary>Connect timeout in milliseconds; default 5000, as Jira.</summary>
    public int? ConnectTimeoutMs { get; set; }

    /// <summary>Response timeout in milliseconds; default 20000, as Jira.</summary>
    public int? ResponseTimeoutMs { get; set; }
}

/// <summary>A registered rule. Header values are never shown, only their names.</summary>
public sealed class AutomationRule
{
    public const string IssueCreated = "issue_created";
    public const string IssueTransitioned = "issue_transitioned";

    /// <summary>An edit of issue fields (PUT issue); rules of the rule API with the field value changed trigger.</summary>
    public const string FieldValueChanged = "field_value_changed";

    /// <summary>An SLA breach raised through the admin API; rules of the rule API with the SLA threshold trigger.</summary>
    public const string SlaThresholdBreached = "sla_threshold_breached";
    private static readonly string[] Triggers = [IssueCreated, IssueTransitioned, FieldValueChanged, SlaThresholdBreached];
    private static readonly string[] Bodies = ["empty", "automation", "jira", "serviceManagement", "custom"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Trigger { get; init; }

    public string? Project { get; init; }

    public string? ToStatus { get; init; }

    public required string Url { get; init; }

    public required string Method { get; init; }

    /// <summary>The names of the custom headers.</summary>
    public required IReadOnlyList<string> HeaderNames { get; init; }

    [JsonIgnore]
    internal IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public required string Body { get; init; }

    public string? CustomData { get; init; }

    public bool EncodeAsForm { get; init; }

    public int ConnectTimeoutMs { get; init; }

    public int ResponseTimeoutMs { get; init; }

    internal static AutomationRule Create(string id, AutomationRuleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var trigger = spec.Trigger ?? throw new ArgumentException("trigger is required: issue_created, issue_transitioned, field_value_changed or sla_threshold_breached.");
        trigger = Triggers.FirstOrDefault(t => t.Equals(trigger, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException("trigger must be issue_created, issue_transitioned, field_value_changed or sla_threshold_breached.");
        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("url must be an absolute http:// or https:// URL.");
        }

        var body = Bodies.FirstOrDefault(b => b.Equals(spec.Body ?? "jira", StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException("body must be empty, automation, jira, serviceManagement or custom.");
        if (body == "custom" && spec.CustomData is null)
        {
            throw new ArgumentException("customData is required with body custom.");
        }

        var method = Methods.FirstOrDefault(m => m.Equals(spec.Method ?? "POST", StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException("method must be GET, POST, PUT, PATCH or DELETE.");
        if (spec.ConnectTimeoutMs is < 1 or > 600_000 || spec.ResponseTimeoutMs is < 1 or > 600_000)
        {
            throw new ArgumentException("connectTimeoutMs and responseTimeoutMs must be between 1 and 600000.");
        }

        var headers = new Dictionary<string, string>(spec.Headers ?? [], StringComparer.OrdinalIgnoreCase);
        return new AutomationRule
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(spec.Name) ? $"Rule {id}" : spec.Name,
            Trigger = trigger,
            Project = spec.Project,
            ToStatus = spec.ToStatus,
            Url = url.AbsoluteUri,
            Method = method,
            Headers = headers,
            HeaderNames = [.. headers.Keys],
            Body = body,
            CustomData = spec.CustomData,
            EncodeAsForm = spec.EncodeAsForm ?? false,
            ConnectTimeoutMs = spec.ConnectTimeoutMs ?? 5_000,
            ResponseTimeoutMs = spec.ResponseTimeoutMs ?? 20_000,
        };
    }

    internal bool Applies(string trigger, Issue issue) =>
        Trigger == trigger
        && (Project is null || Project.Equals(issue.Project.Key, StringComparison.OrdinalIgnoreCase))
        && (ToStatus is null || trigger != IssueTransitioned || ToStatus.Equals(issue.Status.Name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One execution of a rule, as the rule's audit log shows it.</summary>
/// <param name="Status">SUCCESS or FAILURE.</param>
/// <param name="HttpStatus">The listener's status code; null when no answer came.</param>
public sealed record AutomationAuditEntry(
    string Id,
    string RuleId,
    string RuleName,
    string Trigger,
    string IssueKey,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? HttpStatus,
    long DurationMs,
    string Message,
    DateTimeOffset Timestamp);

/// <summary>A rule of the Data Center allowlist (Administration → System → Allowlist).</summary>
public sealed class AllowlistRule
{
    public int Id { get; set; }

    public string? Expression { get; set; }

    /// <summary>DOMAIN_NAME, EXACT_URL, WILDCARD_EXPRESSION or REGULAR_EXPRESSION.</summary>
    public string? Type { get; set; }

    public bool AllowInbound { get; set; }

    public bool AuthenticationRequired { get; set; }
}

/// <summary>The allowlist (GET/PUT /_emulator/allowlist; served on Data Center at /rest/whitelist/latest/).</summary>
public sealed class AllowlistSettings
{
    public bool? Enabled { get; set; }

    public List<AllowlistRule>? Rules { get; set; }
}

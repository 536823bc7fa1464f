using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AtlassianEmulator;

/// <summary>A failed rule API call: the status and the Automation error body's code and title.</summary>
internal sealed class RuleApiException(int status, string code, string title, string? detail = null, string? field = null) : Exception(title)
{
    public const string NotParsed = "The request body could not be parsed";
    public const string IdsMismatch = "Component ids do not match the existing rule or there are duplicate ids";

    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>The request member the error is about (limit, cursor, state, …).</summary>
    public string? Field { get; } = field;

    public static RuleApiException Unparsable() => new(StatusCodes.Status400BadRequest, "BAD_REQUEST", NotParsed);
}

/// <summary>
/// The rules of the Automation Rule Management API (Jira Cloud): whole rules in the envelope, cursor paging with
/// expiring cursors, the state endpoint and delete-when-disabled. Hidden header values are kept for execution and
/// masked on every read. Enabled rules run through <see cref="AutomationCenter"/> like the admin API's rules.
/// </summary>
public sealed class RuleStore
{
    public const string Masked = "***";
    public const string WebRequestType = "jira.issue.outgoing.webhook";
    public const string CreatedTrigger = "jira.issue.event.trigger:created";
    public const string TransitionedTrigger = "jira.issue.event.trigger:transitioned";
    public const string FieldChangedTrigger = "jira.issue.field.changed";
    public const string SlaTrigger = "jira.sla.threshold.trigger";
    public static readonly TimeSpan CursorLifetime = TimeSpan.FromHours(1);

    private static readonly string[] Required =
        ["name", "state", "notifyOnError", "canOtherRuleTrigger", "authorAccountId", "actor", "writeAccessType", "trigger", "components", "ruleScopeARIs"];

    private static readonly string[] ComponentKinds = ["TRIGGER", "CONDITION", "ACTION", "BRANCH", "CONDITION_BLOCK", "ORCHESTRATION"];

    private readonly Lock _gate = new();
    private readonly List<StoredRule> _rules = [];
    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private readonly string _cloudId;
    private DateTimeOffset _clockOffset;
    private long _tick;

    internal RuleStore(string cloudId) => _cloudId = cloudId;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rules.Count;
            }
        }
    }

    /// <summary>The ARI of a project: ari:cloud:jira:{cloudId}:project/{id}.</summary>
    public string ProjectAri(string projectId) => $"ari:cloud:jira:{_cloudId}:project/{projectId}";

    /// <summary>The ARI of the whole Jira site.</summary>
    public string SiteAri => $"ari:cloud:jira::site/{_cloudId}";

    private DateTimeOffset Now => DateTimeOffset.UtcNow + (_clockOffset - DateTimeOffset.UnixEpoch);

    /// <summary>Moves the cursor clock forward (cursors live about an hour).</summary>
    public void AdvanceClock(TimeSpan by)
    {
        lock (_gate)
        {
            _clockOffset += by;
        }
    }

    internal void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _cursors.Clear();
            _clockOffset = DateTimeOffset.UnixEpoch;
        }
    }

    /// <summary>POST /rule: validates the envelope and the required fields, stores the rule, returns its uuid.</summary>
    public string Create(JsonNode? body)
    {
        var (rule, connections) = Envelope(body);
        CheckRequired(rule);
        lock (_gate)
        {
            var uuid = rule["uuid"]?.GetValue<string>();
            if (uuid is not null && (!Guid.TryParse(uuid, out _) || _rules.Any(r => r.Uuid == uuid)))
            {
                throw new RuleApiException(StatusCodes.Status400BadRequest, "api.validation.uuid-taken", "The rule uuid is not a valid UUID or is already taken", field: "uuid");
            }

            uuid ??= NewUuid();
            var stored = new StoredRule(uuid, Clean(rule), connections, Timestamp(), 0);
            stored.Updated = stored.Created;
            AssignIds(stored.Rule, existing: null, taken: []);
            _rules.Add(stored);
            return uuid;
        }
    }

    /// <summary>PUT /rule/{uuid}: the full rule; ids of existing components must match; a masked hidden value keeps the stored one.</summary>
    public string Update(string uuid, JsonNode? body)
    {
        var (rule, connections) = Envelope(body);
        CheckRequired(rule);
        lock (_gate)
        {
            var stored = Find(uuid);
            var replacement = Clean(rule);
            var existing = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var component in Components(stored.Rule))
            {
                existing[component["id"]!.GetValue<string>()] = component;
            }

            AssignIds(replacement, existing, taken: []);
            foreach (var component in Components(replacement))
            {
                if (existing.TryGetValue(component["id"]!.GetValue<string>(), out var before))
                {
                    KeepHiddenValues(component, before);
                }
            }

            stored.Rule = replacement;
            stored.Connections = connections;
            stored.Updated = Timestamp();
            return uuid;
        }
    }

    /// <summary>PUT /rule/{uuid}/state.</summary>
    public void SetState(string uuid, JsonNode? body)
    {
        var value = body is JsonObject o && o["value"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (value is not ("ENABLED" or "DISABLED"))
        {
            throw RuleApiException.Unparsable();
        }

        lock (_gate)
        {
            var stored = Find(uuid);
            stored.Rule["state"] = value;
            stored.Updated = Timestamp();
        }
    }

    /// <summary>DELETE /rule/{uuid}: only a disabled rule.</summary>
    public void Delete(string uuid)
    {
        lock (_gate)
        {
            var stored = Find(uuid);
            if (stored.Rule["state"]?.GetValue<string>() != "DISABLED")
            {
                throw new RuleApiException(StatusCodes.Status400BadRequest, "api.validation.rule-enabled", "Only a disabled rule can be deleted", field: "state");
            }

            _rules.Remove(stored);
        }
    }

    /// <summary>GET /rule/{uuid}: the envelope, hidden header values masked.</summary>
    public JsonObject Read(string uuid)
    {
        lock (_gate)
        {
            var stored = Find(uuid);
            var rule = (JsonObject)stored.Rule.DeepClone();
            foreach (var component in Components(rule))
            {
                Mask(component);
            }

            var full = new JsonObject { ["uuid"] = stored.Uuid };
            foreach (var (name, value) in rule)
            {
                full[name] = value?.DeepClone();
            }

            full["created"] = stored.Created;
            full["updated"] = stored.Updated;
            return new JsonObject { ["rule"] = full, ["connections"] = stored.Connections.DeepClone() };
        }
    }

    /// <summary>GET /rule/summary (query) or POST /rule/summary (body): one page and its links.</summary>
    internal JsonObject Page(string? cursor, int? limit, SummaryFilter? filter)
    {
        lock (_gate)
        {
            int offset = 0;
            if (cursor is not null)
            {
                if (!_cursors.TryGetValue(cursor, out var known) || known.ExpiresAt <= Now)
                {
                    _cursors.Remove(cursor);
                    throw new RuleApiException(StatusCodes.Status400BadRequest, "api.validation.invalid-cursor", "The cursor is invalid or has expired", field: "cursor");
                }

                offset = known.Offset;
                filter = known.Filter;
                limit ??= known.Limit;
            }

            var size = limit ?? (filter is null ? 100 : 50);
            if (size is < 1 or > 100)
            {
                throw new RuleApiException(StatusCodes.Status400BadRequest, "api.validation.outside-range", "limit must be between 1 and 100", field: "limit");
            }

            var matching = _rules.Where(r => filter?.Matches(r) ?? true).ToList();
            var data = new JsonArray();
            foreach (var rule in matching.Skip(offset).Take(size))
            {
                data.Add(Summary(rule));
            }

            string? next = null;
            if (offset + size < matching.Count)
            {
                next = NewCursor(offset + size, size, filter);
            }

            string? prev = offset > 0 ? NewCursor(Math.Max(0, offset - size), size, filter) : null;
            return new JsonObject
            {
                ["links"] = new JsonObject
                {
                    ["self"] = Link(cursor, size),
                    ["next"] = next is null ? null : Link(next, size),
                    ["prev"] = prev is null ? null : Link(prev, size),
                },
                ["data"] = data,
            };
        }
    }

    /// <summary>The executable form of every enabled rule whose trigger and scope match the event.</summary>
    internal IReadOnlyList<AutomationRule> Matching(string trigger, Issue issue, string? fromStatus, IReadOnlyCollection<string>? changedFields = null)
    {
        var projectAri = ProjectAri(issue.Project.Id);
        var result = new List<AutomationRule>();
        lock (_gate)
        {
            foreach (var stored in _rules)
            {
                var rule = stored.Rule;
                if (rule["state"]?.GetValue<string>() != "ENABLED" || !InScope(rule, projectAri) || rule["trigger"] is not JsonObject t)
                {
                    continue;
                }

                if (!TriggerMatches(t, trigger, issue, fromStatus, changedFields, projectAri))
                {
                    continue;
                }

                foreach (var action in (rule["components"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(c => c["type"]?.GetValue<string>() == WebRequestType && c["value"] is JsonObject))
                {
                    if (ToSpec(stored, (JsonObject)action["value"]!, trigger) is { } spec)
                    {
                        result.Add(AutomationRule.Create(stored.Uuid, spec));
                    }
                }
            }
        }

        return result;
    }

    private bool InScope(JsonObject rule, string projectAri)
    {
        var scopes = (rule["ruleScopeARIs"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).ToList();
        return scopes.Contains(projectAri) || scopes.Contains(SiteAri)
            || scopes.Any(s => s is not null && s.StartsWith("ari:cloud:jira-", StringComparison.Ordinal) && s.EndsWith("::site/" + _cloudId, StringComparison.Ordinal));
    }

    private static bool TriggerMatches(JsonObject trigger, string eventName, Issue issue, string? fromStatus, IReadOnlyCollection<string>? changedFields, string projectAri)
    {
        var type = trigger["type"]?.GetValue<string>();
        var value = trigger["value"] as JsonObject;
        var filters = (value?["eventFilters"] as JsonArray ?? []).Select(n => n?.ToString()).ToList();
        if (filters.Count > 0 && !filters.Contains(projectAri))
        {
            return false;
        }

        return type switch
        {
            CreatedTrigger => eventName == AutomationRule.IssueCreated,
            TransitionedTrigger => eventName == AutomationRule.IssueTransitioned
                && StatusMatches(value?["toStatus"], issue.Status.Name)
                && (fromStatus is null || StatusMatches(value?["fromStatus"], fromStatus)),
            FieldChangedTrigger => eventName == AutomationRule.FieldValueChanged && FieldsMatch(value?["fields"], changedFields ?? []),
            SlaTrigger => eventName == AutomationRule.SlaThresholdBreached
                && (value?["thresholdType"] is null || string.Equals(value?["thresholdType"]?.ToString(), "BREACHED", StringComparison.OrdinalIgnoreCase))
                && (value?["slaName"] is null || string.Equals(value?["slaName"]?.ToString(), issue.Sla?.Name, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    /// <summary>The trigger's fields ([{"type":"field","value":"labels"}]) name a changed field (by id, case-insensitive); no fields means any.</summary>
    private static bool FieldsMatch(JsonNode? fields, IReadOnlyCollection<string> changed)
    {
        var watched = (fields as JsonArray ?? []).Select(f => f is JsonObject o ? o["value"]?.ToString() : f?.ToString()).Where(f => f is not null).ToList();
        return changed.Count > 0 && (watched.Count == 0 || watched.Any(w => changed.Contains(w!, StringComparer.OrdinalIgnoreCase)));
    }

    private static bool StatusMatches(JsonNode? statuses, string name)
    {
        var list = (statuses as JsonArray ?? []).OfType<JsonObject>().Select(s => s["value"]?.ToString()).Where(s => s is not null).ToList();
        return list.Count == 0 || list.Any(s => s!.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The body options of Send web request: custom (documented), empty, and the issue-data variants a client may write.</summary>
    private static AutomationRuleSpec? ToSpec(StoredRule stored, JsonObject value, string trigger)
    {
        var url = value["url"]?.ToString();
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return null;
        }

        var contentType = value["contentType"]?.ToString()?.ToLowerInvariant();
        var sendIssue = value["sendIssue"] is JsonValue s && s.TryGetValue(out bool b) && b;
        var body = contentType switch
        {
            "custom" => "custom",
            "jira" => "jira",
            "automation" or "issue" or "application/json" => "automation",
            "empty" or null or "" => sendIssue ? "automation" : "empty",
            _ => sendIssue ? "automation" : "empty",
        };
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in (value["headers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (header["name"]?.ToString() is { Length: > 0 } name)
            {
                headers[name] = header["value"]?.ToString() ?? string.Empty;
            }
        }

        return new AutomationRuleSpec
        {
            Name = stored.Rule["name"]?.ToString(),
            Trigger = trigger,
            Url = url,
            Method = value["method"]?.ToString() ?? "POST",
            Headers = headers,
            Body = body,
            CustomData = body == "custom" ? value["customBody"]?.ToString() ?? string.Empty : null,
        };
    }

    private static (JsonObject Rule, JsonArray Connections) Envelope(JsonNode? body)
    {
        if (body is not JsonObject envelope || envelope["rule"] is not JsonObject rule)
        {
            throw RuleApiException.Unparsable();
        }

        var connections = envelope["connections"] switch
        {
            null => [],
            JsonArray list => (JsonArray)list.DeepClone(),
            _ => throw RuleApiException.Unparsable(),
        };
        return ((JsonObject)rule.DeepClone(), connections);
    }

    private static void CheckRequired(JsonObject rule)
    {
        if (Required.Any(name => rule[name] is null)
            || !Is(rule["state"], "ENABLED", "DISABLED")
            || !Is(rule["notifyOnError"], "FIRSTERROR", "EVERYERROR", "NEVER")
            || !Is(rule["writeAccessType"], "OWNER_ONLY", "UNRESTRICTED", "SPECIFIED_USERS")
            || rule["actor"] is not JsonObject actor || !Is(actor["type"], "ACCOUNT_ID", "EVENT_INITIATOR", "SMART_VALUE")
            || rule["canOtherRuleTrigger"] is not JsonValue other || !other.TryGetValue(out bool _)
            || rule["trigger"] is not JsonObject trigger || !Is(trigger["component"], "TRIGGER") || trigger["type"] is null
            || rule["components"] is not JsonArray components
            || rule["ruleScopeARIs"] is not JsonArray scopes || scopes.Count == 0
            || components.Any(c => c is not JsonObject o || !Is(o["component"], ComponentKinds) || o["type"] is null))
        {
            throw RuleApiException.Unparsable();
        }
    }

    private static bool Is(JsonNode? node, params string[] values) =>
        node is JsonValue v && v.TryGetValue(out string? s) && values.Contains(s);

    /// <summary>The rule without the read-only members.</summary>
    private static JsonObject Clean(JsonObject rule)
    {
        rule.Remove("uuid");
        rule.Remove("created");
        rule.Remove("updated");
        return rule;
    }

    /// <summary>The trigger and every component, children and conditions included.</summary>
    private static IEnumerable<JsonObject> Components(JsonObject rule)
    {
        var stack = new Stack<JsonObject>();
        if (rule["trigger"] is JsonObject trigger)
        {
            stack.Push(trigger);
        }

        foreach (var c in (rule["components"] as JsonArray ?? []).OfType<JsonObject>().Reverse())
        {
            stack.Push(c);
        }

        var list = new List<JsonObject>();
        while (stack.Count > 0)
        {
            var component = stack.Pop();
            list.Add(component);
            foreach (var child in (component["children"] as JsonArray ?? []).OfType<JsonObject>().Concat((component["conditions"] as JsonArray ?? []).OfType<JsonObject>()))
            {
                stack.Push(child);
            }
        }

        return list;
    }

    /// <summary>New components get fresh ids; ids sent on update must name a component of the existing rule, once.</summary>
    private static void AssignIds(JsonObject rule, Dictionary<string, JsonObject>? existing, HashSet<string> taken)
    {
        foreach (var component in Components(rule))
        {
            var id = component["id"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            if (id is null)
            {
                component["id"] = Guid.NewGuid().ToString();
            }
            else if (existing is null || !existing.ContainsKey(id) || !taken.Add(id))
            {
                if (existing is null)
                {
                    component["id"] = Guid.NewGuid().ToString();
                    continue;
                }

                throw new RuleApiException(StatusCodes.Status400BadRequest, "BAD_REQUEST", RuleApiException.IdsMismatch);
            }

            component.Remove("parentId");
            component.Remove("conditionParentId");
        }
    }

    private static IEnumerable<JsonObject> HiddenHeaders(JsonObject component) =>
        component["type"]?.ToString() == WebRequestType && component["value"] is JsonObject value
            ? (value["headers"] as JsonArray ?? []).OfType<JsonObject>().Where(h => h["headerSecure"] is JsonValue secure && secure.TryGetValue(out bool hidden) && hidden)
            : [];

    private static void Mask(JsonObject component)
    {
        foreach (var header in HiddenHeaders(component))
        {
            header["value"] = Masked;
        }
    }

    private static void KeepHiddenValues(JsonObject component, JsonObject before)
    {
        var old = HiddenHeaders(before).ToDictionary(h => h["name"]?.ToString() ?? string.Empty, h => h["value"]?.ToString(), StringComparer.OrdinalIgnoreCase);
        foreach (var header in HiddenHeaders(component))
        {
            if (header["value"]?.ToString() == Masked && old.TryGetValue(header["name"]?.ToString() ?? string.Empty, out var value))
            {
                header["value"] = value;
            }
        }
    }

    private JsonObject Summary(StoredRule stored)
    {
        var rule = stored.Rule;
        return new JsonObject
        {
            ["uuid"] = stored.Uuid,
            ["name"] = rule["name"]?.DeepClone(),
            ["state"] = rule["state"]?.DeepClone(),
            ["description"] = rule["description"]?.DeepClone(),
            ["labels"] = rule["labels"]?.DeepClone() ?? new JsonArray(),
            ["ruleScopeARIs"] = rule["ruleScopeARIs"]?.DeepClone(),
            ["authorAccountId"] = rule["authorAccountId"]?.DeepClone(),
            ["actorAccountId"] = rule["actor"] is JsonObject actor && actor["type"]?.ToString() == "ACCOUNT_ID" ? actor["actor"]?.DeepClone() : null,
            ["created"] = stored.Created,
            ["updated"] = stored.Updated,
        };
    }

    private string NewCursor(int offset, int limit, SummaryFilter? filter)
    {
        var cursor = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _cursors[cursor] = new Cursor(offset, limit, filter, Now + CursorLifetime);
        if (_cursors.Count > 10_000)
        {
            foreach (var stale in _cursors.Where(c => c.Value.ExpiresAt <= Now).Select(c => c.Key).ToList())
            {
                _cursors.Remove(stale);
            }
        }

        return cursor;
    }

    private static string Link(string? cursor, int limit) =>
        cursor is null ? $"?limit={limit}" : $"?cursor={cursor}&limit={limit}";

    private StoredRule Find(string uuid) =>
        _rules.FirstOrDefault(r => r.Uuid == uuid)
            ?? throw new RuleApiException(StatusCodes.Status404NotFound, "NOT_FOUND", "The rule was not found", field: "ruleUuid");

    /// <summary>Seconds since the epoch with milliseconds, strictly increasing (e.g. 1743568964.174).</summary>
    private double Timestamp()
    {
        var ms = Math.Max(Now.ToUnixTimeMilliseconds(), _tick + 1);
        _tick = ms;
        return Math.Round(ms / 1000.0, 3);
    }

    /// <summary>A UUIDv7, as Automation issues them.</summary>
    private static string NewUuid() => Guid.CreateVersion7().ToString();

    internal sealed class StoredRule(string uuid, JsonObject rule, JsonArray connections, double created, double updated)
    {
        public string Uuid { get; } = uuid;

        public JsonObject Rule { get; set; } = rule;

        public JsonArray Connections { get; set; } = connections;

        public double Created { get; } = created;

        public double Updated { get; set; } = updated;
    }

    private sealed record Cursor(int Offset, int Limit, SummaryFilter? Filter, DateTimeOffset ExpiresAt);
}

/// <summary>The filters of POST /rule/summary.</summary>
internal sealed record SummaryFilter(string? Trigger, string? State, string? Scope, string? Author)
{
    internal bool Matches(RuleStore.StoredRule stored)
    {
        var rule = stored.Rule;
        return (Trigger is null || rule["trigger"]?["type"]?.ToString() == Trigger)
            && (State is null || rule["state"]?.ToString() == State)
            && (Scope is null || (rule["ruleScopeARIs"] as JsonArray ?? []).Any(a => a?.ToString() == Scope))
            && (Author is null || rule["authorAccountId"]?.ToString() == Author);
    }
}

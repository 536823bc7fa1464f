using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace JiraConnect.Automation
{
    /// <summary>The triggers New-JiraWebhookRule builds.</summary>
    public enum JiraWebhookRuleTrigger
    {
        IssueCreated,
        IssueTransitioned,
        FieldValueChanged,
        /// <summary>Jira Service Management SLA threshold breached; the component type is unconfirmed.</summary>
        SlaThresholdBreached,
    }

    /// <summary>What the "WHEN trigger THEN Send web request" rule is made of.</summary>
    public sealed class JiraWebhookRuleDefinition
    {
        public string Name { get; set; }
        public string Description { get; set; } = "Managed by JiraConnect";
        /// <summary>Project ARIs, or the site ARI for a site-wide rule.</summary>
        public IReadOnlyList<string> ScopeAris { get; set; }
        /// <summary>Project ARIs the trigger listens to (empty for the whole site).</summary>
        public IReadOnlyList<string> EventFilters { get; set; } = Array.Empty<string>();
        public JiraWebhookRuleTrigger? Trigger { get; set; }
        /// <summary>A raw trigger component (or its value with <see cref="RawTriggerType"/>), for any other trigger.</summary>
        public string RawTriggerJson { get; set; }
        public string[] FromStatus { get; set; } = Array.Empty<string>();
        public string[] ToStatus { get; set; } = Array.Empty<string>();
        public string[] Fields { get; set; } = Array.Empty<string>();
        public Uri Url { get; set; }
        public string Method { get; set; } = "POST";
        /// <summary>The value of the Hidden Authorization header ("Bearer …"); null for none.</summary>
        public string AuthorizationValue { get; set; }
        public IDictionary<string, string> Headers { get; set; }
        /// <summary>Names of <see cref="Headers"/> that are hidden.</summary>
        public ICollection<string> HiddenHeaders { get; set; }
        public JiraWebhookBodyFormat Body { get; set; } = JiraWebhookBodyFormat.JiraIssue;
        public string CustomBody { get; set; }
        /// <summary>ACCOUNT_ID (with <see cref="ActorAccountId"/>) or EVENT_INITIATOR.</summary>
        public string ActorType { get; set; } = "ACCOUNT_ID";
        public string ActorAccountId { get; set; }
        public string AuthorAccountId { get; set; }
        public string[] Labels { get; set; } = Array.Empty<string>();
    }

    /// <summary>Builds the Send web request rule in the API's JSON, created DISABLED.</summary>
    public static class WebRequestRuleBuilder
    {
        /// <summary>Content types written for each body (custom is documented; the issue-data names are unconfirmed).</summary>
        public static string ContentTypeOf(JiraWebhookBodyFormat body)
        {
            switch (body)
            {
                case JiraWebhookBodyFormat.Empty: return "empty";
                case JiraWebhookBodyFormat.AutomationIssue: return "automation";
                case JiraWebhookBodyFormat.JiraIssue: return "jira";
                case JiraWebhookBodyFormat.Custom: return "custom";
                default:
                    throw new JiraException(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                        $"Jira Automation's Send web request has no body '{body}'.", body.ToString(),
                        "Use -Body Empty, AutomationIssue, JiraIssue or Custom (with -CustomData).");
            }
        }

        internal static JsonObject Build(JiraWebhookRuleDefinition d)
        {
            if (string.IsNullOrWhiteSpace(d.Name)) throw Invalid("The rule needs a name.", "Pass -Name.");
            if (d.Url == null || !d.Url.IsAbsoluteUri || (d.Url.Scheme != Uri.UriSchemeHttps && d.Url.Scheme != Uri.UriSchemeHttp))
                throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument, "The listener URL must be an absolute http:// or https:// URL.",
                    d.Url?.OriginalString, "Pass the listener's URL, for example $listener.Url.");
            if (d.Body == JiraWebhookBodyFormat.Custom && string.IsNullOrEmpty(d.CustomBody))
                throw Invalid("-Body Custom needs -CustomData.", "Pass the custom body with smart values, e.g. -CustomData '{\"key\":\"{{issue.key}}\"}'.");
            var headers = new JsonArray();
            if (d.AuthorizationValue != null)
                headers.Add(Header("Authorization", d.AuthorizationValue, true));
            foreach (var pair in d.Headers ?? new Dictionary<string, string>())
            {
                if (string.Equals(pair.Key, "Authorization", StringComparison.OrdinalIgnoreCase) && d.AuthorizationValue != null) continue;
                headers.Add(Header(pair.Key, pair.Value, d.HiddenHeaders?.Contains(pair.Key) == true || string.Equals(pair.Key, "Authorization", StringComparison.OrdinalIgnoreCase)));
            }
            if (d.Body == JiraWebhookBodyFormat.Custom && !(d.Headers ?? new Dictionary<string, string>()).Keys.Any(k => string.Equals(k, "Content-Type", StringComparison.OrdinalIgnoreCase)))
                headers.Add(Header("Content-Type", "application/json", false));
            var value = new JsonObject
            {
                ["url"] = d.Url.AbsoluteUri,
                ["method"] = (d.Method ?? "POST").ToUpperInvariant(),
                ["headers"] = headers,
                ["sendIssue"] = d.Body == JiraWebhookBodyFormat.AutomationIssue || d.Body == JiraWebhookBodyFormat.JiraIssue,
                ["contentType"] = ContentTypeOf(d.Body),
            };
            if (d.Body == JiraWebhookBodyFormat.Custom) value["customBody"] = d.CustomBody;
            value["responseEnabled"] = false;
            value["continueOnErrorEnabled"] = false;
            var action = new JsonObject
            {
                ["component"] = "ACTION",
                ["type"] = AutomationRuleJson.WebRequestType,
                ["schemaVersion"] = 1,
                ["value"] = value,
                ["children"] = new JsonArray(),
                ["conditions"] = new JsonArray(),
                ["connectionId"] = null,
            };
            var actor = new JsonObject { ["type"] = d.ActorType ?? "ACCOUNT_ID" };
            if (d.ActorType == null || d.ActorType == "ACCOUNT_ID") actor["actor"] = d.ActorAccountId ?? d.AuthorAccountId;
            var rule = new JsonObject
            {
                ["name"] = d.Name,
                ["description"] = d.Description ?? string.Empty,
                ["state"] = "DISABLED",
                ["trigger"] = Trigger(d),
                ["components"] = new JsonArray(action),
                ["ruleScopeARIs"] = new JsonArray(d.ScopeAris.Select(a => (JsonNode)a).ToArray()),
                ["actor"] = actor,
                ["authorAccountId"] = d.AuthorAccountId,
                ["writeAccessType"] = "OWNER_ONLY",
                ["collaborators"] = new JsonArray(),
                ["labels"] = new JsonArray((d.Labels ?? Array.Empty<string>()).Select(l => (JsonNode)l).ToArray()),
                ["canOtherRuleTrigger"] = false,
                ["notifyOnError"] = "FIRSTERROR",
            };
            return new JsonObject { ["rule"] = rule, ["connections"] = new JsonArray() };
        }

        private static JsonObject Header(string name, string value, bool hidden) =>
            new JsonObject { ["id"] = null, ["name"] = name, ["value"] = value, ["headerSecure"] = hidden };

        private static JsonArray Filters(JiraWebhookRuleDefinition d) => new JsonArray(d.EventFilters.Select(a => (JsonNode)a).ToArray());

        private static JsonArray Statuses(string[] names) =>
            new JsonArray((names ?? Array.Empty<string>()).Select(n => (JsonNode)new JsonObject { ["type"] = "NAME", ["value"] = n }).ToArray());

        private static JsonObject Trigger(JiraWebhookRuleDefinition d)
        {
            if (d.RawTriggerJson != null)
            {
                var raw = AutomationRuleJson.ParseObject(d.RawTriggerJson, "trigger");
                if (raw["type"] == null) throw Invalid("The raw trigger needs a \"type\".", "Pass a trigger component such as {\"component\":\"TRIGGER\",\"type\":\"…\",\"schemaVersion\":1,\"value\":{…}}.");
                raw["component"] = "TRIGGER";
                if (raw["schemaVersion"] == null) raw["schemaVersion"] = 1;
                if (raw["conditions"] == null) raw["conditions"] = new JsonArray();
                return raw;
            }
            string type;
            int version = 1;
            JsonObject value;
            switch (d.Trigger ?? JiraWebhookRuleTrigger.IssueCreated)
            {
                case JiraWebhookRuleTrigger.IssueTransitioned:
                    type = AutomationRuleJson.TransitionedTrigger;
                    value = new JsonObject
                    {
                        ["eventFilters"] = Filters(d), ["eventKey"] = "jira:issue_updated", ["issueEvent"] = "issue_generic",
                        ["fromStatus"] = Statuses(d.FromStatus), ["toStatus"] = Statuses(d.ToStatus),
                    };
                    break;
                case JiraWebhookRuleTrigger.FieldValueChanged:
                    if (d.Fields == null || d.Fields.Length == 0) throw Invalid("The FieldValueChanged trigger needs the fields to watch.", "Pass -Field, for example -Field labels, priority.");
                    type = AutomationRuleJson.FieldChangedTrigger;
                    version = 2;
                    value = new JsonObject
                    {
                        ["eventFilters"] = Filters(d), ["changeType"] = "ANY_CHANGE",
                        ["fields"] = new JsonArray(d.Fields.Select(f => (JsonNode)new JsonObject { ["type"] = "field", ["value"] = f }).ToArray()),
                        ["actions"] = new JsonArray(),
                    };
                    break;
                case JiraWebhookRuleTrigger.SlaThresholdBreached:
                    type = AutomationRuleJson.SlaTrigger;
                    value = new JsonObject { ["eventFilters"] = Filters(d), ["thresholdType"] = "BREACHED" };
                    break;
                default:
                    type = AutomationRuleJson.CreatedTrigger;
                    value = new JsonObject { ["eventKey"] = "jira:issue_created", ["issueEvent"] = "issue_created", ["eventFilters"] = Filters(d) };
                    break;
            }
            return new JsonObject
            {
                ["component"] = "TRIGGER", ["type"] = type, ["schemaVersion"] = version, ["value"] = value,
                ["conditions"] = new JsonArray(), ["connectionId"] = null,
            };
        }

        private static JiraException Invalid(string message, string remedy) =>
            new JiraException(JiraErrorId.AutomationRuleInvalid, JiraErrorKind.InvalidArgument, message, null, remedy);
    }

    /// <summary>What writing a rule would do: create, update or nothing.</summary>
    public sealed class JiraAutomationRulePlan
    {
        internal JsonObject Envelope { get; set; }
        internal JsonObject Existing { get; set; }
        public string Name { get; internal set; }
        public string ExistingUuid { get; internal set; }
        public JiraAutomationRuleAction Action { get; internal set; }
        /// <summary>The rule's state now (ENABLED or DISABLED).</summary>
        public string State => AutomationRuleJson.Text(AutomationRuleJson.Rule(Existing ?? Envelope)["state"]);

        /// <summary>The result of a plan that writes nothing.</summary>
        public JiraAutomationRuleChange Unchanged() =>
            new JiraAutomationRuleChange { Name = Name, Uuid = ExistingUuid, Kind = JiraAutomationRuleAction.Unchanged, State = State };

        /// <summary>The rule JSON that would be sent, hidden values masked.</summary>
        public string MaskedJson => AutomationRuleJson.ToMaskedJson(Envelope);
    }

    /// <summary>Idempotent writes: a rule with the same name and scope is updated (ids kept), not duplicated.</summary>
    public static class JiraAutomationRuleWriter
    {
        /// <summary>Plans the Send web request rule of a definition.</summary>
        public static Task<JiraAutomationRulePlan> PlanWebhookRuleAsync(JiraAutomationClient client, JiraWebhookRuleDefinition definition, bool force, System.Threading.CancellationToken ct) =>
            PlanAsync(client, WebRequestRuleBuilder.Build(definition), matchByNameAndScope: true, uuid: null, force, ct);

        /// <summary>Plans any rule JSON: an update of <paramref name="uuid"/> when given, else a create.</summary>
        public static Task<JiraAutomationRulePlan> PlanJsonAsync(JiraAutomationClient client, string json, string uuid, System.Threading.CancellationToken ct) =>
            PlanAsync(client, AutomationRuleJson.ToWritableEnvelope(AutomationRuleJson.ParseObject(json, "rule JSON")), matchByNameAndScope: false, uuid, force: false, ct);

        private static async Task<JiraAutomationRulePlan> PlanAsync(JiraAutomationClient client, JsonObject envelope, bool matchByNameAndScope, string uuid, bool force, System.Threading.CancellationToken ct)
        {
            var rule = AutomationRuleJson.Rule(envelope);
            var plan = new JiraAutomationRulePlan { Envelope = envelope, Name = AutomationRuleJson.Text(rule["name"]), Action = JiraAutomationRuleAction.Created };
            if (matchByNameAndScope)
            {
                var scope = AutomationRuleJson.Array(rule["ruleScopeARIs"]).Select(AutomationRuleJson.Text).OrderBy(s => s, StringComparer.Ordinal).ToList();
                var all = await client.ListAsync(null, null, ct).ConfigureAwait(false);
                var same = all.FirstOrDefault(r => string.Equals(r.Name, plan.Name, StringComparison.Ordinal)
                    && r.ScopeAris.OrderBy(s => s, StringComparer.Ordinal).SequenceEqual(scope));
                uuid = same?.Uuid;
            }
            if (uuid == null)
            {
                rule.Remove("id");
                foreach (var c in AutomationRuleJson.Components(rule)) c.Remove("id");
                return plan;
            }
            var existing = await client.GetEnvelopeAsync(uuid, ct).ConfigureAwait(false);
            var existingRule = AutomationRuleJson.Rule(existing);
            plan.Existing = existing;
            plan.ExistingUuid = uuid;
            if (matchByNameAndScope)
            {
                rule["state"] = existingRule["state"]?.DeepClone();
                AutomationRuleJson.KeepComponentIds(rule, existingRule);
            }
            plan.Action = !force && AutomationRuleJson.Comparable(rule) == AutomationRuleJson.Comparable(existingRule)
                ? JiraAutomationRuleAction.Unchanged : JiraAutomationRuleAction.Updated;
            return plan;
        }

        /// <summary>Carries out a plan; with <paramref name="enable"/> the rule is enabled after the write succeeded.</summary>
        public static async Task<JiraAutomationRuleChange> ApplyAsync(JiraAutomationClient client, JiraAutomationRulePlan plan, bool enable, System.Threading.CancellationToken ct)
        {
            string uuid = plan.ExistingUuid;
            string state = AutomationRuleJson.Text(AutomationRuleJson.Rule(plan.Existing ?? plan.Envelope)["state"]) ?? "DISABLED";
            switch (plan.Action)
            {
                case JiraAutomationRuleAction.Created:
                    // Created disabled; enabled only after the write succeeded (as asked, or as the JSON says).
                    var rule = AutomationRuleJson.Rule(plan.Envelope);
                    enable |= AutomationRuleJson.Text(rule["state"]) == "ENABLED";
                    rule["state"] = "DISABLED";
                    uuid = await client.CreateAsync(plan.Envelope, ct).ConfigureAwait(false);
                    state = "DISABLED";
                    break;
                case JiraAutomationRuleAction.Updated:
                    await client.UpdateAsync(uuid, plan.Envelope, ct).ConfigureAwait(false);
                    state = AutomationRuleJson.Text(AutomationRuleJson.Rule(plan.Envelope)["state"]) ?? state;
                    break;
            }
            if (enable && state != "ENABLED")
            {
                await client.SetStateAsync(uuid, true, ct).ConfigureAwait(false);
                state = "ENABLED";
            }
            return new JiraAutomationRuleChange { Name = plan.Name, Uuid = uuid, Kind = plan.Action, State = state };
        }

        /// <summary>
        /// Replaces the Hidden Authorization header of the rule's Send web request actions (those to <paramref name="uri"/>
        /// when given) with <paramref name="authorizationValue"/>, keeping ids; the old value is never read.
        /// </summary>
        public static async Task<JiraAutomationRulePlan> PlanTokenReplacementAsync(JiraAutomationClient client, string uuid, Uri uri, string authorizationValue, System.Threading.CancellationToken ct)
        {
            var existing = await client.GetEnvelopeAsync(uuid, ct).ConfigureAwait(false);
            var envelope = AutomationRuleJson.ToWritableEnvelope(existing);
            var rule = AutomationRuleJson.Rule(envelope);
            int replaced = 0;
            foreach (var request in AutomationRuleJson.WebRequests(rule))
            {
                if (uri != null && !SameUrl(AutomationRuleJson.Text(request["value"]["url"]), uri)) continue;
                var headers = AutomationRuleJson.Array(request["value"]["headers"]);
                if (request["value"]["headers"] == null) request["value"]["headers"] = headers;
                var auth = headers.OfType<JsonObject>().FirstOrDefault(h => string.Equals(AutomationRuleJson.Text(h["name"]), "Authorization", StringComparison.OrdinalIgnoreCase));
                if (auth == null)
                {
                    auth = new JsonObject { ["id"] = null, ["name"] = "Authorization" };
                    headers.Add(auth);
                }
                auth["value"] = authorizationValue;
                auth["headerSecure"] = true;
                replaced++;
            }
            return new JiraAutomationRulePlan
            {
                Envelope = envelope, Existing = existing, ExistingUuid = uuid, Name = AutomationRuleJson.Text(rule["name"]),
                Action = replaced > 0 ? JiraAutomationRuleAction.TokenReplaced : JiraAutomationRuleAction.Unchanged,
            };
        }

        /// <summary>Writes a token replacement planned by <see cref="PlanTokenReplacementAsync"/>.</summary>
        public static async Task<JiraAutomationRuleChange> ApplyTokenReplacementAsync(JiraAutomationClient client, JiraAutomationRulePlan plan, System.Threading.CancellationToken ct)
        {
            if (plan.Action == JiraAutomationRuleAction.TokenReplaced)
                await client.UpdateAsync(plan.ExistingUuid, plan.Envelope, ct).ConfigureAwait(false);
            return new JiraAutomationRuleChange
            {
                Name = plan.Name, Uuid = plan.ExistingUuid, Kind = plan.Action,
                State = AutomationRuleJson.Text(AutomationRuleJson.Rule(plan.Envelope)["state"]),
                Detail = plan.Action == JiraAutomationRuleAction.Unchanged ? "The rule sends no web request to that URL." : null,
            };
        }

        /// <summary>The uuid inside rule JSON (envelope or bare rule); null when absent.</summary>
        public static string UuidOf(string json)
        {
            var node = AutomationRuleJson.ParseObject(json, "rule JSON");
            return AutomationRuleJson.Text(AutomationRuleJson.Rule(node)["uuid"]);
        }

        /// <summary>The name and state of a rule (for ShouldProcess and results).</summary>
        public static async Task<JiraAutomationRule> PeekAsync(JiraAutomationClient client, string uuid, System.Threading.CancellationToken ct) =>
            client.Summary(AutomationRuleJson.Rule(await client.GetEnvelopeAsync(uuid, ct).ConfigureAwait(false)));

        /// <summary>Enables or disables a rule; nothing is written when it already is.</summary>
        public static async Task<JiraAutomationRuleChange> SetStateAsync(JiraAutomationClient client, JiraAutomationRule rule, bool enabled, System.Threading.CancellationToken ct)
        {
            var change = new JiraAutomationRuleChange { Name = rule.Name, Uuid = rule.Uuid, State = enabled ? "ENABLED" : "DISABLED" };
            if (rule.Enabled == enabled)
            {
                change.Kind = JiraAutomationRuleAction.Unchanged;
                return change;
            }
            await client.SetStateAsync(rule.Uuid, enabled, ct).ConfigureAwait(false);
            change.Kind = enabled ? JiraAutomationRuleAction.Enabled : JiraAutomationRuleAction.Disabled;
            return change;
        }

        /// <summary>Disables the rule, then deletes it; where Jira refuses the delete the rule stays disabled.</summary>
        public static async Task<JiraAutomationRuleChange> RemoveAsync(JiraAutomationClient client, JiraAutomationRule rule, System.Threading.CancellationToken ct)
        {
            if (rule.Enabled) await client.SetStateAsync(rule.Uuid, false, ct).ConfigureAwait(false);
            bool deleted = await client.DeleteAsync(rule.Uuid, ct).ConfigureAwait(false);
            return new JiraAutomationRuleChange
            {
                Name = rule.Name, Uuid = rule.Uuid,
                Kind = deleted ? JiraAutomationRuleAction.Removed : JiraAutomationRuleAction.DisabledNotRemoved,
                State = deleted ? string.Empty : "DISABLED",
                Detail = deleted ? null : "Jira refused to delete the rule; it was left disabled.",
            };
        }

        /// <summary>Whether a rule's web request goes to this URL (scheme, host, port and path; trailing slash ignored).</summary>
        public static bool SameUrl(string url, Uri uri) =>
            url != null && Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            && Uri.Compare(parsed, uri, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            || (url != null && string.Equals(url.TrimEnd('/'), uri.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }
}

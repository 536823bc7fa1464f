using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace JiraConnect.Automation
{
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

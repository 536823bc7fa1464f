using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JiraConnect.Security;

namespace JiraConnect.Automation
{
    /// <summary>Reading and shaping the rule JSON of the Automation Rule Management API.</summary>
    internal static class AutomationRuleJson
    {
        public const string WebRequestType = "jira.issue.outgoing.webhook";
        public const string CreatedTrigger = "jira.issue.event.trigger:created";
        public const string TransitionedTrigger = "jira.issue.event.trigger:transitioned";
        public const string FieldChangedTrigger = "jira.issue.field.changed";
        /// <summary>SLA threshold breached (Jira Service Management): seen in public rule exports, not in Atlassian's documents.</summary>
        public const string SlaTrigger = "jira.sla.threshold.trigger";
        public static readonly string[] ReadOnlyMembers = { "uuid", "created", "updated" };
        private static readonly string[] ReadOnlyComponentMembers = { "parentId", "conditionParentId" };

        public static JsonObject ParseObject(string json, string what)
        {
            JsonNode node;
            try
            {
                node = JsonNode.Parse(json ?? string.Empty);
            }
            catch (JsonException e)
            {
                throw new JiraException(JiraErrorId.AutomationRuleInvalid, JiraErrorKind.InvalidArgument,
                    $"The {what} is not valid JSON ({e.Message.Split('.')[0]}).", null,
                    "Pass the JSON that Get-JiraAutomationRule -Detailed returns in its Json property (an object {\"rule\":{…},\"connections\":[…]}), or a bare rule object.");
            }
            return node as JsonObject ?? throw new JiraException(JiraErrorId.AutomationRuleInvalid, JiraErrorKind.InvalidArgument,
                $"The {what} must be a JSON object.", null, "Pass {\"rule\":{…},\"connections\":[…]} or a bare rule object.");
        }

        /// <summary>The envelope {"rule":…,"connections":[…]} of an envelope or a bare rule; read-only members removed.</summary>
        public static JsonObject ToWritableEnvelope(JsonObject input)
        {
            var rule = (input["rule"] as JsonObject ?? input).DeepClone().AsObject();
            foreach (var name in ReadOnlyMembers) rule.Remove(name);
            foreach (var component in Components(rule))
                foreach (var name in ReadOnlyComponentMembers) component.Remove(name);
            var connections = input["rule"] is JsonObject && input["connections"] is JsonArray list ? list.DeepClone() : new JsonArray();
            return new JsonObject { ["rule"] = rule, ["connections"] = connections };
        }

        public static JsonObject Rule(JsonObject envelope) => envelope["rule"] as JsonObject ?? envelope;

        /// <summary>The trigger and every component, children and conditions included.</summary>
        public static IEnumerable<JsonObject> Components(JsonObject rule)
        {
            var pending = new List<JsonObject>();
            if (rule["trigger"] is JsonObject trigger) pending.Add(trigger);
            pending.AddRange(Array(rule["components"]).OfType<JsonObject>());
            for (int i = 0; i < pending.Count; i++)
            {
                yield return pending[i];
                pending.AddRange(Array(pending[i]["children"]).OfType<JsonObject>());
                pending.AddRange(Array(pending[i]["conditions"]).OfType<JsonObject>());
            }
        }

        public static IEnumerable<JsonObject> WebRequests(JsonObject rule) =>
            Components(rule).Where(c => Text(c["type"]) == WebRequestType && c["value"] is JsonObject);

        public static IEnumerable<JsonObject> Headers(JsonObject webRequest) =>
            Array(webRequest["value"]?["headers"]).OfType<JsonObject>();

        public static bool IsHidden(JsonObject header) => header["headerSecure"] is JsonValue v && v.TryGetValue(out bool hidden) && hidden;

        public static JsonArray Array(JsonNode node) => node as JsonArray ?? new JsonArray();

        public static string Text(JsonNode node) => node is JsonValue v && v.TryGetValue(out string s) ? s : node?.ToJsonString();

        /// <summary>A copy with every hidden header value (and any Authorization value) replaced by ***.</summary>
        public static JsonObject Masked(JsonObject envelope)
        {
            var copy = envelope.DeepClone().AsObject();
            foreach (var request in WebRequests(Rule(copy)))
                foreach (var header in Headers(request))
                    if (IsHidden(header) || Redactor.IsSecretNamedHeader(Text(header["name"]) ?? string.Empty))
                        header["value"] = Redactor.Mask;
            return copy;
        }

        /// <summary>Indented JSON with masked secrets, for -WhatIf and the Json property.</summary>
        public static string ToMaskedJson(JsonObject envelope, bool indented = true) =>
            Masked(envelope).ToJsonString(new JsonSerializerOptions { WriteIndented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        /// <summary>The values of hidden headers (to keep them out of log lines).</summary>
        public static IReadOnlyList<string> HiddenValues(JsonObject envelope) =>
            WebRequests(Rule(envelope)).SelectMany(Headers).Where(IsHidden).Select(h => Text(h["value"]))
                .Where(v => !string.IsNullOrEmpty(v) && v != Redactor.Mask).ToList();

        /// <summary>
        /// Gives the trigger and the components of <paramref name="desired"/> the ids of the existing rule's trigger and
        /// top-level components of the same type at the same position; others are sent without an id (new components).
        /// </summary>
        public static void KeepComponentIds(JsonObject desired, JsonObject existing)
        {
            if (desired["trigger"] is JsonObject trigger && existing["trigger"] is JsonObject old && Text(trigger["type"]) == Text(old["type"]))
                trigger["id"] = old["id"]?.DeepClone();
            var mine = Array(desired["components"]).OfType<JsonObject>().ToList();
            var theirs = Array(existing["components"]).OfType<JsonObject>().ToList();
            for (int i = 0; i < mine.Count; i++)
            {
                if (i < theirs.Count && Text(mine[i]["type"]) == Text(theirs[i]["type"]) && theirs[i]["id"] != null)
                    mine[i]["id"] = theirs[i]["id"].DeepClone();
                else
                    mine[i].Remove("id");
            }
        }

        /// <summary>
        /// Canonical text of what a rule does, for "is this the same rule": no ids, read-only members, state or hidden
        /// values (they cannot be read back), object keys sorted, nulls and empty arrays dropped, scope sorted.
        /// </summary>
        public static string Comparable(JsonObject rule)
        {
            var copy = rule.DeepClone().AsObject();
            foreach (var name in ReadOnlyMembers.Concat(new[] { "state", "id" })) copy.Remove(name);
            foreach (var component in Components(copy))
            {
                component.Remove("id");
                foreach (var name in ReadOnlyComponentMembers) component.Remove(name);
            }
            foreach (var request in WebRequests(copy))
                foreach (var header in Headers(request))
                {
                    header.Remove("id");
                    if (IsHidden(header)) header["value"] = string.Empty;
                }
            var builder = new StringBuilder();
            WriteCanonical(copy, builder, "");
            return builder.ToString();
        }

        private static void WriteCanonical(JsonNode node, StringBuilder builder, string name)
        {
            switch (node)
            {
                case null:
                    builder.Append("null");
                    break;
                case JsonObject map:
                    builder.Append('{');
                    foreach (var property in map.Where(p => !IsEmpty(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        builder.Append(JsonSerializer.Serialize(property.Key)).Append(':');
                        WriteCanonical(property.Value, builder, property.Key);
                        builder.Append(',');
                    }
                    builder.Append('}');
                    break;
                case JsonArray list:
                    var items = list.Select(item => { var b = new StringBuilder(); WriteCanonical(item, b, string.Empty); return b.ToString(); });
                    if (name == "ruleScopeARIs" || name == "eventFilters" || name == "labels") items = items.OrderBy(s => s, StringComparer.Ordinal);
                    builder.Append('[').Append(string.Join(",", items)).Append(']');
                    break;
                default:
                    builder.Append(node.ToJsonString());
                    break;
            }
        }

        private static bool IsEmpty(JsonNode node) => node == null || (node is JsonArray a && a.Count == 0);

        /// <summary>Seconds since the epoch (1743568964.174), milliseconds, or an ISO 8601 text.</summary>
        public static DateTimeOffset? Time(JsonNode node)
        {
            if (node is JsonValue value)
            {
                if (value.TryGetValue(out double seconds))
                    return seconds > 1e11 ? DateTimeOffset.FromUnixTimeMilliseconds((long)seconds) : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
                if (value.TryGetValue(out string text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    return parsed;
            }
            return null;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace JiraConnect.Automation
{
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
}

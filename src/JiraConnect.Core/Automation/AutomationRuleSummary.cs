using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace JiraConnect.Automation
{
    /// <summary>The rule API's JSON as <see cref="JiraAutomationRule"/>: a listing's summaries, a detailed rule, the paging cursor.</summary>
    internal static class AutomationRuleSummary
    {
        /// <summary>The cursor of links.next: a query string (?cursor=…&amp;limit=…) or an absolute URL; null at the end.</summary>
        internal static string NextCursor(string next)
        {
            if (string.IsNullOrEmpty(next)) return null;
            int q = next.IndexOf('?');
            string query = q >= 0 ? next.Substring(q + 1) : next;
            foreach (var pair in query.Split('&'))
            {
                int eq = pair.IndexOf('=');
                if (eq > 0 && pair.Substring(0, eq) == "cursor") return Uri.UnescapeDataString(pair.Substring(eq + 1));
            }
            return null;
        }

        /// <summary>A summary of the page's shape (GA) or the experimental one (idUuid, ruleScope.resources).</summary>
        internal static JiraAutomationRule Summary(JsonObject item, string sessionName)
        {
            var scope = AutomationRuleJson.Array(item["ruleScopeARIs"] ?? item["ruleScope"]?["resources"]).Select(AutomationRuleJson.Text).Where(s => s != null).ToArray();
            return new JiraAutomationRule
            {
                Uuid = AutomationRuleJson.Text(item["uuid"] ?? item["idUuid"]),
                Name = AutomationRuleJson.Text(item["name"]),
                State = AutomationRuleJson.Text(item["state"]),
                Description = AutomationRuleJson.Text(item["description"]),
                Labels = AutomationRuleJson.Array(item["labels"]).Select(AutomationRuleJson.Text).ToArray(),
                ScopeAris = scope,
                IsSiteWide = scope.Any(IsSiteAri),
                Trigger = AutomationRuleJson.Text(item["trigger"] is JsonObject t ? t["type"] : item["trigger"]),
                AuthorAccountId = AutomationRuleJson.Text(item["authorAccountId"]),
                Created = AutomationRuleJson.Time(item["created"]),
                Updated = AutomationRuleJson.Time(item["updated"]),
                SessionName = sessionName,
            };
        }

        /// <summary>A detailed rule: the summary fields, trigger, web request URLs and the masked JSON.</summary>
        internal static JiraAutomationRule Detailed(JsonObject envelope, string sessionName)
        {
            var rule = AutomationRuleJson.Rule(envelope);
            var result = Summary(rule, sessionName);
            result.Trigger = AutomationRuleJson.Text(rule["trigger"]?["type"]);
            var requests = AutomationRuleJson.WebRequests(rule).ToList();
            result.WebRequestUrls = requests.Select(r => AutomationRuleJson.Text(r["value"]["url"])).Where(u => u != null).ToArray();
            result.HasAuthorizationHeader = requests.SelectMany(AutomationRuleJson.Headers)
                .Any(h => string.Equals(AutomationRuleJson.Text(h["name"]), "Authorization", StringComparison.OrdinalIgnoreCase));
            result.IsDetailed = true;
            result.Json = AutomationRuleJson.ToMaskedJson(envelope);
            return result;
        }

        private static bool IsSiteAri(string ari) => ari.IndexOf("::site/", StringComparison.Ordinal) >= 0;
    }
}

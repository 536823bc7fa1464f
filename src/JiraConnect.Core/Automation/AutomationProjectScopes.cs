using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;

namespace JiraConnect.Automation
{
    /// <summary>Project keys to project ARIs (a rule's scope) and back, through the site's project API.</summary>
    internal static class AutomationProjectScopes
    {
        /// <summary>The project ARI of a key: ari:cloud:jira:{cloudId}:project/{id}.</summary>
        internal static async Task<string> ProjectAriAsync(JiraClient client, string cloudId, string projectKey, CancellationToken ct)
        {
            JiraResponse response;
            try
            {
                response = await client.SendAsync(HttpMethod.Get, client.Resolve("project/" + Uri.EscapeDataString(projectKey)), null, ct).ConfigureAwait(false);
            }
            catch (JiraNotFoundException)
            {
                throw new JiraException(JiraErrorId.ProjectNotFound, JiraErrorKind.NotFound, $"There is no project '{projectKey}' the account can see.", projectKey,
                    "Check the key with Get-JiraProject.");
            }
            var id = AutomationRuleJson.Text((JsonNode.Parse(response.BodyText) as JsonObject)?["id"]);
            return $"ari:cloud:jira:{cloudId}:project/{id}";
        }

        /// <summary>Fills ProjectKeys from the project ARIs (one lookup per project id, cached for the call).</summary>
        internal static async Task ResolveProjectKeysAsync(JiraClient client, IEnumerable<JiraAutomationRule> rules, CancellationToken ct)
        {
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var rule in rules)
            {
                var list = new List<string>();
                foreach (var ari in rule.ScopeAris)
                {
                    int at = ari.LastIndexOf(":project/", StringComparison.Ordinal);
                    if (at < 0) continue;
                    string id = ari.Substring(at + ":project/".Length);
                    if (!keys.TryGetValue(id, out var key))
                    {
                        try
                        {
                            var response = await client.SendAsync(HttpMethod.Get, client.Resolve("project/" + Uri.EscapeDataString(id)), null, ct).ConfigureAwait(false);
                            key = AutomationRuleJson.Text((JsonNode.Parse(response.BodyText) as JsonObject)?["key"]) ?? id;
                        }
                        catch (JiraApiException)
                        {
                            key = id;
                        }
                        keys[id] = key;
                    }
                    list.Add(key);
                }
                rule.ProjectKeys = list.ToArray();
            }
        }
    }
}

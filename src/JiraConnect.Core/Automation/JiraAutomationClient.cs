using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;

namespace JiraConnect.Automation
{
    /// <summary>
    /// The Automation Rule Management REST API of Jira Cloud: lists rule summaries page by page, reads and writes whole
    /// rules in the envelope. Where the API answers is found by <see cref="AutomationApiLocator"/>, each request goes
    /// through <see cref="AutomationApiTransport"/> (errors mapped by <see cref="AutomationErrors"/>). Only an account's
    /// API token (Basic) is accepted by the API: other sessions fail before any request.
    /// </summary>
    public sealed class JiraAutomationClient
    {
        public const string AtlassianGateway = "https://api.atlassian.com/";
        private readonly JiraSession _session;
        private readonly JiraClient _client;
        private readonly AutomationApiTransport _transport;
        private readonly AutomationApiLocator _locator;

        public JiraAutomationClient(JiraSession session)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            EnsureSupported(session);
            _client = session.Client;
            _transport = new AutomationApiTransport(_client);
            _locator = new AutomationApiLocator(session, _transport);
        }

        public JiraSession Session => _session;

        /// <summary>Throws the ErrorId that says why this session cannot use the API; returns for a Cloud API-token session.</summary>
        public static void EnsureSupported(JiraSession session)
        {
            if (!session.IsCloud) throw AutomationErrors.DataCenter(session.SiteUrl);
            if (session.Authentication != JiraAuthenticationType.ApiToken) throw AutomationErrors.ApiTokenRequired(session);
        }

        /// <summary>The API gateway for this site: api.atlassian.com for Atlassian's hosts, the site's own origin otherwise (a stand-in serving both).</summary>
        public static Uri GatewayFor(Uri siteUrl) => AutomationApiLocator.GatewayFor(siteUrl);

        /// <summary>The site's cloudId, from GET {site}/_edge/tenant_info.</summary>
        public async Task<string> GetCloudIdAsync(CancellationToken ct) => (await _locator.ResolveAsync(ct).ConfigureAwait(false)).CloudId;

        /// <summary>The base URL the API answered on (gateway or site path).</summary>
        public async Task<Uri> GetBaseUrlAsync(CancellationToken ct) => (await _locator.ResolveAsync(ct).ConfigureAwait(false)).Base;

        /// <summary>Every rule summary, page by page (following links.next), filtered by the API where it can.</summary>
        public async Task<IReadOnlyList<JiraAutomationRule>> ListAsync(JiraAutomationRuleFilter filter, Action<int> onPage, CancellationToken ct)
        {
            var baseUrl = await GetBaseUrlAsync(ct).ConfigureAwait(false);
            var rules = new List<JiraAutomationRule>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            bool search = filter != null && (filter.State != null || filter.Trigger != null || (filter.ScopeAris?.Count ?? 0) > 0);
            var scopes = filter?.ScopeAris != null && filter.ScopeAris.Count > 0 ? filter.ScopeAris.Cast<string>() : new string[] { null };
            foreach (var scope in search ? scopes : new string[] { null })
            {
                string cursor = null;
                do
                {
                    JsonObject page;
                    if (search)
                    {
                        var body = new JsonObject { ["limit"] = 100 };
                        if (cursor != null) body["cursor"] = cursor;
                        if (filter.State != null) body["state"] = filter.State;
                        if (filter.Trigger != null) body["trigger"] = filter.Trigger;
                        if (scope != null) body["scope"] = scope;
                        page = await _transport.SendJsonAsync(HttpMethod.Post, new Uri(baseUrl, "rule/summary"), body, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        var url = new Uri(baseUrl, "rule/summary?limit=100" + (cursor == null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
                        page = await _transport.SendJsonAsync(HttpMethod.Get, url, null, ct).ConfigureAwait(false);
                    }
                    foreach (var item in AutomationRuleJson.Array(page?["data"]).OfType<JsonObject>())
                    {
                        var rule = Summary(item);
                        if (filter?.Trigger != null && rule.Trigger == null) rule.Trigger = filter.Trigger;
                        if (rule.Uuid != null && seen.Add(rule.Uuid)) rules.Add(rule);
                    }
                    onPage?.Invoke(rules.Count);
                    cursor = AutomationRuleSummary.NextCursor(AutomationRuleJson.Text(page?["links"]?["next"]));
                }
                while (cursor != null);
            }
            return rules;
        }

        /// <summary>A summary of the page's shape (GA) or the experimental one (idUuid, ruleScope.resources).</summary>
        internal JiraAutomationRule Summary(JsonObject item) => AutomationRuleSummary.Summary(item, _session.Name);

        /// <summary>The whole rule (envelope) as the API returns it.</summary>
        internal async Task<JsonObject> GetEnvelopeAsync(string uuid, CancellationToken ct)
        {
            var baseUrl = await GetBaseUrlAsync(ct).ConfigureAwait(false);
            return await _transport.SendJsonAsync(HttpMethod.Get, new Uri(baseUrl, "rule/" + Uri.EscapeDataString(uuid)), null, ct).ConfigureAwait(false);
        }

        /// <summary>A detailed rule: the summary fields, trigger, web request URLs and the masked JSON.</summary>
        public async Task<JiraAutomationRule> GetAsync(string uuid, CancellationToken ct) =>
            AutomationRuleSummary.Detailed(await GetEnvelopeAsync(uuid, ct).ConfigureAwait(false), _session.Name);

        /// <summary>POST /rule; the new rule's uuid.</summary>
        public async Task<string> CreateAsync(JsonObject envelope, CancellationToken ct)
        {
            var baseUrl = await GetBaseUrlAsync(ct).ConfigureAwait(false);
            var answer = await WriteAsync(HttpMethod.Post, new Uri(baseUrl, "rule"), envelope, ct).ConfigureAwait(false);
            return AutomationRuleJson.Text(answer?["ruleUuid"]);
        }

        /// <summary>PUT /rule/{uuid} with the full rule.</summary>
        public async Task UpdateAsync(string uuid, JsonObject envelope, CancellationToken ct)
        {
            var baseUrl = await GetBaseUrlAsync(ct).ConfigureAwait(false);
            await WriteAsync(HttpMethod.Put, new Uri(baseUrl, "rule/" + Uri.EscapeDataString(uuid)), envelope, ct).ConfigureAwait(false);
        }

        /// <summary>PUT /rule/{uuid}/state.</summary>
        public async Task SetStateAsync(string uuid, bool enabled, CancellationToken ct)
        {
            var baseUrl = await GetBaseUrlAsync(ct).ConfigureAwait(false);
            await WriteAsync(HttpMethod.Put, new Uri(baseUrl, "rule/" + Uri.EscapeDataString(uuid) + "/state"),
                new JsonObject { ["value"] = enabled ? "ENABLED" : "DISABLED" }, ct).ConfigureAwait(false);
        }

        /// <summary>DELETE /rule/{uuid} (a disabled rule); false when the API offers no delete or refuses it (the rule stays disabled).</summary>
        public async Task<bool> DeleteAsync(string uuid, CancellationToken ct)
        {
            var baseUrl = await GetBaseUrlAsync(ct).ConfigureAwait(false);
            try
            {
                await WriteAsync(HttpMethod.Delete, new Uri(baseUrl, "rule/" + Uri.EscapeDataString(uuid)), null, ct).ConfigureAwait(false);
                return true;
            }
            catch (JiraApiException e) when (e.StatusCode == HttpStatusCode.MethodNotAllowed || e.StatusCode == HttpStatusCode.BadRequest
                || e.ErrorId == JiraErrorId.AutomationRuleInvalid)
            {
                JiraLog.Verbose($"Jira refused to delete rule {uuid}: {e.Message}");
                return false;
            }
        }

        /// <summary>A write; a 400 is checked with a GET, because Jira answers an expired token with 400 on writes.</summary>
        private async Task<JsonObject> WriteAsync(HttpMethod method, Uri url, JsonObject body, CancellationToken ct)
        {
            var previous = JiraLog.Current;
            var secrets = body == null ? new string[0] : AutomationRuleJson.HiddenValues(body);
            if (previous != null && secrets.Count > 0) JiraLog.Current = new MaskingLogSink(previous, secrets);
            try
            {
                return await _transport.SendJsonAsync(method, url, body, ct).ConfigureAwait(false);
            }
            catch (JiraApiException e) when (e.StatusCode == HttpStatusCode.BadRequest)
            {
                var baseUrl = await GetBaseUrlAsync(ct).ConfigureAwait(false);
                await _transport.SendAsync(HttpMethod.Get, new Uri(baseUrl, "rule/summary?limit=1"), null, ct).ConfigureAwait(false);
                throw;
            }
            finally
            {
                JiraLog.Current = previous;
            }
        }

        /// <summary>The project ARI of a key: ari:cloud:jira:{cloudId}:project/{id}.</summary>
        public async Task<string> ProjectAriAsync(string projectKey, CancellationToken ct) =>
            await AutomationProjectScopes.ProjectAriAsync(_client, await GetCloudIdAsync(ct).ConfigureAwait(false), projectKey, ct).ConfigureAwait(false);

        /// <summary>The whole site's ARI.</summary>
        public async Task<string> SiteAriAsync(CancellationToken ct) => "ari:cloud:jira::site/" + await GetCloudIdAsync(ct).ConfigureAwait(false);

        /// <summary>Fills ProjectKeys from the project ARIs (one lookup per project id, cached for the call).</summary>
        public Task ResolveProjectKeysAsync(IEnumerable<JiraAutomationRule> rules, CancellationToken ct) =>
            AutomationProjectScopes.ResolveProjectKeysAsync(_client, rules, ct);
    }
}

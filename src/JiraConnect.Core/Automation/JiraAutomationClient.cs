using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;
using JiraConnect.Http;
using JiraConnect.Security;

namespace JiraConnect.Automation
{
    /// <summary>Filters of a rule listing; the API filters by trigger, state and scope, the rest is matched here.</summary>
    public sealed class JiraAutomationRuleFilter
    {
        public string State { get; set; }
        public string Trigger { get; set; }
        /// <summary>Scope ARIs (one search per ARI).</summary>
        public IReadOnlyList<string> ScopeAris { get; set; }
    }

    /// <summary>
    /// The Automation Rule Management REST API of Jira Cloud: finds the cloudId, calls the API gateway and falls back to
    /// the site's /gateway/api path, pages through summaries, reads and writes whole rules in the envelope, and maps its
    /// errors to ErrorIds. Only an account's API token (Basic) is accepted by the API: other sessions fail before any request.
    /// </summary>
    public sealed class JiraAutomationClient
    {
        public const string AtlassianGateway = "https://api.atlassian.com/";
        private const string ApiPath = "automation/public/jira/{0}/rest/v1/";
        private static readonly ConditionalWeakTable<JiraClient, Resolved> Cache = new ConditionalWeakTable<JiraClient, Resolved>();
        private readonly JiraSession _session;
        private readonly JiraClient _client;

        public JiraAutomationClient(JiraSession session)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            EnsureSupported(session);
            _client = session.Client;
        }

        public JiraSession Session => _session;

        /// <summary>Throws the ErrorId that says why this session cannot use the API; returns for a Cloud API-token session.</summary>
        public static void EnsureSupported(JiraSession session)
        {
            if (!session.IsCloud) throw AutomationErrors.DataCenter(session.SiteUrl);
            if (session.Authentication != JiraAuthenticationType.ApiToken) throw AutomationErrors.ApiTokenRequired(session);
        }

        /// <summary>The API gateway for this site: api.atlassian.com for Atlassian's hosts, the site's own origin otherwise (a stand-in serving both).</summary>
        public static Uri GatewayFor(Uri siteUrl)
        {
            string host = siteUrl.Host.ToLowerInvariant();
            return host.EndsWith(".atlassian.net", StringComparison.Ordinal) || host.EndsWith(".jira.com", StringComparison.Ordinal)
                || host.EndsWith(".jira-dev.com", StringComparison.Ordinal)
                ? new Uri(AtlassianGateway)
                : new Uri(siteUrl.GetLeftPart(UriPartial.Authority) + "/");
        }

        /// <summary>The site's cloudId, from GET {site}/_edge/tenant_info.</summary>
        public async Task<string> GetCloudIdAsync(CancellationToken ct) => (await ResolveAsync(ct).ConfigureAwait(false)).CloudId;

        /// <summary>The base URL the API answered on (gateway or site path).</summary>
        public async Task<Uri> GetBaseUrlAsync(CancellationToken ct) => (await ResolveAsync(ct).ConfigureAwait(false)).Base;

        private async Task<Resolved> ResolveAsync(CancellationToken ct)
        {
            if (Cache.TryGetValue(_client, out var known)) return known;
            string cloudId = await FindCloudIdAsync(ct).ConfigureAwait(false);
            var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, ApiPath, Uri.EscapeDataString(cloudId));
            var gateway = GatewayFor(_session.SiteUrl);
            var candidates = new[] { new Uri(gateway, path), new Uri(_session.SiteUrl, "gateway/api/" + path) };
            Exception last = null;
            foreach (var candidate in candidates)
            {
                _client.TrustAuthority(candidate);
                try
                {
                    await SendAsync(HttpMethod.Get, new Uri(candidate, "rule/summary?limit=1"), null, ct).ConfigureAwait(false);
                    var resolved = new Resolved(cloudId, candidate);
                    Cache.Remove(_client);
                    Cache.Add(_client, resolved);
                    JiraLog.Verbose($"Automation rule API at {candidate}.");
                    return resolved;
                }
                catch (JiraException e) when (e is JiraConnectionException || e is JiraTimeoutException || e is JiraProtocolException
                    || e.ErrorId == JiraErrorId.AutomationRuleNotFound || e.ErrorId == JiraErrorId.ServerError || e.ErrorId == JiraErrorId.UnexpectedStatus)
                {
                    JiraLog.Verbose($"The automation rule API did not answer at {candidate} ({e.Message}); trying the next base path.");
                    last = e;
                }
            }
            throw last;
        }

        private async Task<string> FindCloudIdAsync(CancellationToken ct)
        {
            if (!string.IsNullOrEmpty(_session.CloudId)) return _session.CloudId;
            var url = new Uri(_session.SiteUrl, ServiceAccountConnector.TenantInfoPath);
            try
            {
                var id = await ServiceAccountConnector.ReadTenantCloudIdAsync(_client, ct).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(id)) return id;
            }
            catch (JiraApiException)
            {
            }
            catch (System.Text.Json.JsonException)
            {
            }
            throw new JiraException(JiraErrorId.AutomationCloudIdNotFound, JiraErrorKind.NotFound,
                "The site did not tell its cloudId at " + url + ".", url.ToString(),
                "Check that the session is connected to a Jira Cloud site (https://<name>.atlassian.net).");
        }

        /// <summary>Every rule summary, page by page (following links.next), filtered by the API where it can.</summary>
        public async Task<IReadOnlyList<JiraAutomationRule>> ListAsync(JiraAutomationRuleFilter filter, Action<int> onPage, CancellationToken ct)
        {
            var baseUrl = (await ResolveAsync(ct).ConfigureAwait(false)).Base;
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
                        page = await SendJsonAsync(HttpMethod.Post, new Uri(baseUrl, "rule/summary"), body, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        var url = new Uri(baseUrl, "rule/summary?limit=100" + (cursor == null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor)));
                        page = await SendJsonAsync(HttpMethod.Get, url, null, ct).ConfigureAwait(false);
                    }
                    foreach (var item in AutomationRuleJson.Array(page?["data"]).OfType<JsonObject>())
                    {
                        var rule = Summary(item);
                        if (filter?.Trigger != null && rule.Trigger == null) rule.Trigger = filter.Trigger;
                        if (rule.Uuid != null && seen.Add(rule.Uuid)) rules.Add(rule);
                    }
                    onPage?.Invoke(rules.Count);
                    cursor = NextCursor(AutomationRuleJson.Text(page?["links"]?["next"]));
                }
                while (cursor != null);
            }
            return rules;
        }

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
        internal JiraAutomationRule Summary(JsonObject item)
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
                SessionName = _session.Name,
            };
        }

        private static bool IsSiteAri(string ari) => ari.IndexOf("::site/", StringComparison.Ordinal) >= 0;

        /// <summary>The whole rule (envelope) as the API returns it.</summary>
        internal async Task<JsonObject> GetEnvelopeAsync(string uuid, CancellationToken ct)
        {
            var baseUrl = (await ResolveAsync(ct).ConfigureAwait(false)).Base;
            return await SendJsonAsync(HttpMethod.Get, new Uri(baseUrl, "rule/" + Uri.EscapeDataString(uuid)), null, ct).ConfigureAwait(false);
        }

        /// <summary>A detailed rule: the summary fields, trigger, web request URLs and the masked JSON.</summary>
        public async Task<JiraAutomationRule> GetAsync(string uuid, CancellationToken ct) => Detailed(await GetEnvelopeAsync(uuid, ct).ConfigureAwait(false));

        internal JiraAutomationRule Detailed(JsonObject envelope)
        {
            var rule = AutomationRuleJson.Rule(envelope);
            var result = Summary(rule);
            result.Trigger = AutomationRuleJson.Text(rule["trigger"]?["type"]);
            var requests = AutomationRuleJson.WebRequests(rule).ToList();
            result.WebRequestUrls = requests.Select(r => AutomationRuleJson.Text(r["value"]["url"])).Where(u => u != null).ToArray();
            result.HasAuthorizationHeader = requests.SelectMany(AutomationRuleJson.Headers)
                .Any(h => string.Equals(AutomationRuleJson.Text(h["name"]), "Authorization", StringComparison.OrdinalIgnoreCase));
            result.IsDetailed = true;
            result.Json = AutomationRuleJson.ToMaskedJson(envelope);
            return result;
        }

        /// <summary>POST /rule; the new rule's uuid.</summary>
        public async Task<string> CreateAsync(JsonObject envelope, CancellationToken ct)
        {
            var baseUrl = (await ResolveAsync(ct).ConfigureAwait(false)).Base;
            var answer = await WriteAsync(HttpMethod.Post, new Uri(baseUrl, "rule"), envelope, ct).ConfigureAwait(false);
            return AutomationRuleJson.Text(answer?["ruleUuid"]);
        }

        /// <summary>PUT /rule/{uuid} with the full rule.</summary>
        public async Task UpdateAsync(string uuid, JsonObject envelope, CancellationToken ct)
        {
            var baseUrl = (await ResolveAsync(ct).ConfigureAwait(false)).Base;
            await WriteAsync(HttpMethod.Put, new Uri(baseUrl, "rule/" + Uri.EscapeDataString(uuid)), envelope, ct).ConfigureAwait(false);
        }

        /// <summary>PUT /rule/{uuid}/state.</summary>
        public async Task SetStateAsync(string uuid, bool enabled, CancellationToken ct)
        {
            var baseUrl = (await ResolveAsync(ct).ConfigureAwait(false)).Base;
            await WriteAsync(HttpMethod.Put, new Uri(baseUrl, "rule/" + Uri.EscapeDataString(uuid) + "/state"),
                new JsonObject { ["value"] = enabled ? "ENABLED" : "DISABLED" }, ct).ConfigureAwait(false);
        }

        /// <summary>DELETE /rule/{uuid} (a disabled rule); false when the API offers no delete or refuses it (the rule stays disabled).</summary>
        public async Task<bool> DeleteAsync(string uuid, CancellationToken ct)
        {
            var baseUrl = (await ResolveAsync(ct).ConfigureAwait(false)).Base;
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
            if (previous != null && secrets.Count > 0) JiraLog.Current = new MaskingSink(previous, secrets);
            try
            {
                return await SendJsonAsync(method, url, body, ct).ConfigureAwait(false);
            }
            catch (JiraApiException e) when (e.StatusCode == HttpStatusCode.BadRequest)
            {
                var baseUrl = (await ResolveAsync(ct).ConfigureAwait(false)).Base;
                await SendAsync(HttpMethod.Get, new Uri(baseUrl, "rule/summary?limit=1"), null, ct).ConfigureAwait(false);
                throw;
            }
            finally
            {
                JiraLog.Current = previous;
            }
        }

        private async Task<JsonObject> SendJsonAsync(HttpMethod method, Uri url, JsonObject body, CancellationToken ct)
        {
            var response = await SendAsync(method, url, body?.ToJsonString(), ct).ConfigureAwait(false);
            if (response.Body.Length == 0) return null;
            try
            {
                return JsonNode.Parse(response.BodyText) as JsonObject;
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new JiraProtocolException(JiraErrorId.InvalidJsonResponse, $"The answer from {Redactor.Url(url)} is not valid JSON.", Redactor.Url(url),
                    "Check that the site is a Jira Cloud site; retry if the connection was cut short.", e);
            }
        }

        private async Task<JiraResponse> SendAsync(HttpMethod method, Uri url, string json, CancellationToken ct)
        {
            try
            {
                return await _client.SendAsync(method, url, json, ct).ConfigureAwait(false);
            }
            catch (JiraApiException e)
            {
                throw AutomationErrors.Map(e, method, url);
            }
        }

        /// <summary>The project ARI of a key: ari:cloud:jira:{cloudId}:project/{id}.</summary>
        public async Task<string> ProjectAriAsync(string projectKey, CancellationToken ct)
        {
            string cloudId = await GetCloudIdAsync(ct).ConfigureAwait(false);
            JiraResponse response;
            try
            {
                response = await _client.SendAsync(HttpMethod.Get, _client.Resolve("project/" + Uri.EscapeDataString(projectKey)), null, ct).ConfigureAwait(false);
            }
            catch (JiraNotFoundException)
            {
                throw new JiraException(JiraErrorId.ProjectNotFound, JiraErrorKind.NotFound, $"There is no project '{projectKey}' the account can see.", projectKey,
                    "Check the key with Get-JiraProject.");
            }
            var id = AutomationRuleJson.Text((JsonNode.Parse(response.BodyText) as JsonObject)?["id"]);
            return $"ari:cloud:jira:{cloudId}:project/{id}";
        }

        /// <summary>The whole site's ARI.</summary>
        public async Task<string> SiteAriAsync(CancellationToken ct) => "ari:cloud:jira::site/" + await GetCloudIdAsync(ct).ConfigureAwait(false);

        /// <summary>Fills ProjectKeys from the project ARIs (one lookup per project id, cached for the call).</summary>
        public async Task ResolveProjectKeysAsync(IEnumerable<JiraAutomationRule> rules, CancellationToken ct)
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
                            var response = await _client.SendAsync(HttpMethod.Get, _client.Resolve("project/" + Uri.EscapeDataString(id)), null, ct).ConfigureAwait(false);
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

        private sealed class Resolved
        {
            public Resolved(string cloudId, Uri baseUrl)
            {
                CloudId = cloudId;
                Base = baseUrl;
            }

            public string CloudId { get; }
            public Uri Base { get; }
        }

        /// <summary>Masks the hidden header values of a write in every log line, whatever the pipeline logs.</summary>
        private sealed class MaskingSink : IJiraLogSink
        {
            private readonly IJiraLogSink _inner;
            private readonly IReadOnlyList<string> _secrets;

            public MaskingSink(IJiraLogSink inner, IReadOnlyList<string> secrets)
            {
                _inner = inner;
                _secrets = secrets;
            }

            public bool IsEnabled(JiraLogLevel level) => _inner.IsEnabled(level);

            public void Write(JiraLogLevel level, string message)
            {
                foreach (var secret in _secrets) message = message.Replace(secret, Redactor.Mask);
                _inner.Write(level, message);
            }
        }
    }
}

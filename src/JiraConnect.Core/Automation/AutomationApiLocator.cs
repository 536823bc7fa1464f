using System;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.ServiceAccounts;
using JiraConnect.Services;

namespace JiraConnect.Automation
{
    /// <summary>Where a site's automation rule API answers.</summary>
    internal sealed class AutomationApiLocation
    {
        public AutomationApiLocation(string cloudId, Uri baseUrl)
        {
            CloudId = cloudId;
            Base = baseUrl;
        }

        public string CloudId { get; }
        public Uri Base { get; }
    }

    /// <summary>
    /// Finds the site's cloudId and the base URL the rule API answers on: the API gateway first, then the site's
    /// /gateway/api path. Remembered per client (so per session) once found.
    /// </summary>
    internal sealed class AutomationApiLocator
    {
        private const string ApiPath = "automation/public/jira/{0}/rest/v1/";
        private static readonly ConditionalWeakTable<JiraClient, AutomationApiLocation> Cache = new ConditionalWeakTable<JiraClient, AutomationApiLocation>();
        private readonly JiraSession _session;
        private readonly JiraClient _client;
        private readonly AutomationApiTransport _transport;

        internal AutomationApiLocator(JiraSession session, AutomationApiTransport transport)
        {
            _session = session;
            _client = session.Client;
            _transport = transport;
        }

        /// <summary>The API gateway for this site: api.atlassian.com for Atlassian's hosts, the site's own origin otherwise (a stand-in serving both).</summary>
        internal static Uri GatewayFor(Uri siteUrl)
        {
            string host = siteUrl.Host.ToLowerInvariant();
            return host.EndsWith(".atlassian.net", StringComparison.Ordinal) || host.EndsWith(".jira.com", StringComparison.Ordinal)
                || host.EndsWith(".jira-dev.com", StringComparison.Ordinal)
                ? new Uri(JiraAutomationClient.AtlassianGateway)
                : new Uri(siteUrl.GetLeftPart(UriPartial.Authority) + "/");
        }

        internal async Task<AutomationApiLocation> ResolveAsync(CancellationToken ct)
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
                    await _transport.SendAsync(HttpMethod.Get, new Uri(candidate, "rule/summary?limit=1"), null, ct).ConfigureAwait(false);
                    var resolved = new AutomationApiLocation(cloudId, candidate);
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
    }
}

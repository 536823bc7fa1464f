using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Diagnostics;
using JiraConnect.Http;
using JiraConnect.Json;
using JiraConnect.OAuth;
using JiraConnect.Security;
using JiraConnect.Services;

namespace JiraConnect.ServiceAccounts
{
    /// <summary>
    /// The machine-to-machine ways in: a service account's OAuth 2.0 client credentials (Jira Cloud through the API
    /// gateway, or Jira Data Center's own token endpoint) and a scoped API token given only the site URL.
    /// </summary>
    internal static class ServiceAccountConnector
    {
        /// <summary>GET {site}/_edge/tenant_info: the site's public cloudId, no credentials needed.</summary>
        internal const string TenantInfoPath = "_edge/tenant_info";

        public static async Task<JiraSession> ConnectClientCredentialsAsync(JiraConnectionOptions options, CancellationToken ct)
        {
            if (options.Url == null && string.IsNullOrEmpty(options.CloudId))
            {
                throw new JiraException(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "Client credentials need the site: its URL or (Jira Cloud) its cloud ID.", options.ClientId,
                    "Pass -Url https://<site>.atlassian.net (or the Data Center base URL), or -CloudId.");
            }
            Uri site = options.Url == null ? null : JiraClient.NormalizeSiteUrl(options.Url);
            bool cloud = !string.IsNullOrEmpty(options.CloudId) || await IsCloudAsync(options, site, ct).ConfigureAwait(false);
            Uri tokenUrl = options.TokenUrl ?? (cloud ? JiraClientCredential.AtlassianTokenUrl : new Uri(site, JiraClientCredential.DataCenterTokenPath));
            var credential = new JiraClientCredential(options.ClientId, options.ClientSecret, tokenUrl, options.Scopes, dataCenter: !cloud);
            var authentication = new ClientCredentialsAuthentication(credential);
            // The first token now: a wrong or revoked secret fails here, with its own error, before any Jira call.
            await credential.GetHeaderAsync(false, ct).ConfigureAwait(false);

            var connect = options.WithoutCredentials();
            connect.Authentication = authentication;
            JiraSession session;
            if (cloud)
            {
                Uri gateway = options.ApiGatewayUrl ?? JiraOAuthEnvironment.Atlassian.ApiGatewayUrl;
                connect.ApiGatewayUrl = gateway;
                connect.CloudId = options.CloudId ?? await FindCloudIdAsync(options, site, gateway, authentication, ct).ConfigureAwait(false);
                session = await JiraConnector.ConnectGatewayAsync(connect, ct).ConfigureAwait(false);
            }
            else
            {
                session = await JiraConnector.ConnectSiteAsync(connect, ct).ConfigureAwait(false);
            }
            session.ClientCredential = credential;
            return session;
        }

        /// <summary>
        /// The site answered 401 to Basic credentials: if the site is Jira Cloud (it has tenant info) and the API gateway
        /// accepts them, the credential is a scoped API token and the session goes through the gateway. Otherwise the
        /// site's own error stands.
        /// </summary>
        public static async Task<JiraSession> ConnectScopedTokenThroughGatewayAsync(JiraConnectionOptions options, JiraAuthenticationException siteError, CancellationToken ct)
        {
            Uri site = JiraClient.NormalizeSiteUrl(options.Url);
            string cloudId = await TryTenantCloudIdAsync(options, site, ct).ConfigureAwait(false);
            if (cloudId == null) throw siteError;
            Uri gateway = options.ApiGatewayUrl ?? JiraOAuthEnvironment.Atlassian.ApiGatewayUrl;
            JiraLog.Verbose($"{site} answered 401 to these credentials; it is Jira Cloud (cloud ID {cloudId}), so trying them as a scoped API token through {gateway}.");
            var gatewayOptions = options.WithUrl(site);
            gatewayOptions.CloudId = cloudId;
            gatewayOptions.ApiGatewayUrl = gateway;
            JiraSession session;
            try
            {
                session = await JiraConnector.ConnectGatewayAsync(gatewayOptions, ct).ConfigureAwait(false);
            }
            catch (JiraException e) when (e.ErrorId != JiraErrorId.GatewayScopeMissing)
            {
                JiraLog.Verbose($"The API gateway did not accept them either ({e.ErrorId}); reporting the site's answer.");
                throw siteError;
            }
            session.Note = $"The site URL answered 401 for this scoped API token (scoped tokens work only through the API gateway); connected through {session.ApiBaseUrl} with the cloud ID {cloudId} from the site's tenant info.";
            JiraLog.Verbose(session.Note);
            return session;
        }

        /// <summary>serverInfo, anonymously: Cloud or not.</summary>
        private static async Task<bool> IsCloudAsync(JiraConnectionOptions options, Uri site, CancellationToken ct)
        {
            using (var client = new JiraClient(options.WithoutCredentials().WithUrl(site)))
            {
                var info = await client.GetAsync<ServerInfoDto>(client.Resolve("/rest/api/2/serverInfo"), ct).ConfigureAwait(false);
                bool cloud = string.Equals(info?.DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);
                JiraLog.Verbose($"{site} is {(cloud ? "Jira Cloud" : "Jira " + (info?.DeploymentType ?? "Data Center"))}: client credentials go to {(cloud ? "Atlassian's token endpoint and the API gateway" : "the site's own token endpoint")}.");
                return cloud;
            }
        }

        /// <summary>The cloud ID: the site's tenant info, else the accessible resources of the client-credentials token.</summary>
        private static async Task<string> FindCloudIdAsync(JiraConnectionOptions options, Uri site, Uri gateway, JiraAuthentication authentication, CancellationToken ct)
        {
            string cloudId = await TryTenantCloudIdAsync(options, site, ct).ConfigureAwait(false);
            if (cloudId != null) return cloudId;
            var environment = new JiraOAuthEnvironment { ApiGatewayUrl = gateway };
            var gatewayOptions = options.WithoutCredentials().WithUrl(gateway);
            gatewayOptions.Authentication = authentication;
            using (var client = new JiraClient(gatewayOptions))
            {
                var list = await client.GetAsync<List<AccessibleResourceDto>>(environment.AccessibleResourcesUrl, ct).ConfigureAwait(false) ?? new List<AccessibleResourceDto>();
                var resources = list.Select(r => JiraAccessibleResource.From(r.Id, r.Name, r.Url, r.Scopes, r.AvatarUrl)).ToList();
                var resource = JiraOAuthService.SelectJiraResource(resources, null, site);
                JiraLog.Verbose($"The cloud ID of {site} is {resource.CloudId} (from the token's accessible resources).");
                return resource.CloudId;
            }
        }

        /// <summary>GET {site}/_edge/tenant_info through the given client: the site's cloudId, or null when the answer names none.</summary>
        internal static async Task<string> ReadTenantCloudIdAsync(JiraClient client, CancellationToken ct)
        {
            var info = await client.GetAsync<TenantInfoDto>(new Uri(client.SiteUrl, TenantInfoPath), ct).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(info?.CloudId) ? null : info.CloudId;
        }

        /// <summary>GET {site}/_edge/tenant_info without credentials; null when the site has none (not Jira Cloud) or cannot say.</summary>
        internal static async Task<string> TryTenantCloudIdAsync(JiraConnectionOptions options, Uri site, CancellationToken ct)
        {
            try
            {
                using (var client = new JiraClient(options.WithoutCredentials().WithUrl(site)))
                {
                    string cloudId = await ReadTenantCloudIdAsync(client, ct).ConfigureAwait(false);
                    if (cloudId != null) JiraLog.Verbose($"The cloud ID of {site} is {cloudId} (from {TenantInfoPath}).");
                    return cloudId;
                }
            }
            catch (JiraException e)
            {
                JiraLog.Verbose($"{site} has no tenant info ({e.ErrorId}).");
                return null;
            }
        }
    }
}

namespace JiraConnect.Json
{
    /// <summary>{"cloudId":"…"} of GET {site}/_edge/tenant_info.</summary>
    internal sealed class TenantInfoDto
    {
        public string CloudId { get; set; }
    }
}

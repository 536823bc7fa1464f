using System;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;
using System.Linq;
using JiraConnect.Security;
using JiraConnect.OAuth;
using JiraConnect.ServiceAccounts;

namespace JiraConnect.Services
{
    /// <summary>Opens a session: detects the deployment, picks the REST version and proves the credentials work.</summary>
    public static class JiraConnector
    {
        public static async Task<JiraSession> ConnectAsync(JiraConnectionOptions options, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            JiraSession session;
            if (options.ClientSecret != null) session = await ServiceAccountConnector.ConnectClientCredentialsAsync(options, cancellationToken).ConfigureAwait(false);
            else if (!string.IsNullOrEmpty(options.CloudId) || options.OAuthToken != null) session = await ConnectGatewayAsync(options, cancellationToken).ConfigureAwait(false);
            else
            {
                try
                {
                    session = await ConnectSiteAsync(options, cancellationToken).ConfigureAwait(false);
                }
                catch (JiraAuthenticationException e) when (e.ErrorId == JiraErrorId.AuthenticationFailed && options.Authentication?.Scheme == "Basic")
                {
                    // Scoped API tokens answer 401 on the site URL: try them through the API gateway.
                    session = await ServiceAccountConnector.ConnectScopedTokenThroughGatewayAsync(options, e, cancellationToken).ConfigureAwait(false);
                }
            }
            session.StatedExpiresAt = options.CredentialExpiresAt;
            if (session.ClientCredential != null) session.ClientCredential.SecretExpiresAt = options.CredentialExpiresAt;
            return session;
        }

        /// <summary>The site URL itself: serverInfo for the deployment, then myself to prove the credentials.</summary>
        internal static async Task<JiraSession> ConnectSiteAsync(JiraConnectionOptions options, CancellationToken cancellationToken)
        {
            var client = new JiraClient(options);
            try
            {
                // serverInfo answers on Cloud and Data Center alike (REST v2); it allows anonymous access, so the
                // X-Seraph-LoginReason check in the client is what catches wrong credentials here.
                var info = await client.GetAsync<ServerInfoDto>(client.Resolve("/rest/api/2/serverInfo"), cancellationToken).ConfigureAwait(false);
                bool cloud = string.Equals(info?.DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);
                client.ApiBaseUrl = new Uri(client.SiteUrl, cloud ? "rest/api/3/" : "rest/api/2/");

                var me = await client.GetAsync<UserDto>(client.Resolve("myself"), cancellationToken).ConfigureAwait(false);
                var user = ToUser(me);
                var type = options.Authentication == null
                    ? JiraAuthenticationType.PersonalAccessToken
                    : options.Authentication is ClientCredentialsAuthentication
                        ? JiraAuthenticationType.ClientCredentials
                    : options.Authentication.Scheme == "Basic"
                        ? (cloud ? JiraAuthenticationType.ApiToken : JiraAuthenticationType.Password)
                        : JiraAuthenticationType.PersonalAccessToken;
                string name = string.IsNullOrWhiteSpace(options.Name) ? client.SiteUrl.Host : options.Name;
                return new JiraSession(name, client, info?.DeploymentType ?? "Server", info?.Version, info?.ServerTitle, type, user);
            }
            catch (JiraAuthenticationException e) when (options.Authentication?.Scheme == "Bearer")
            {
                client.Dispose();
                if (await IsCloudAsync(options, cancellationToken).ConfigureAwait(false))
                {
                    throw new JiraAuthenticationException(JiraErrorId.PersonalAccessTokenOnCloud, e.StatusCode,
                        "Jira Cloud takes no personal access tokens; use an API token. Personal access tokens belong to Jira Server and Data Center.",
                        e.Target, e.ErrorMessages, e.Errors,
                        "Create an API token at https://id.atlassian.com/manage-profile/security/api-tokens and connect with -Credential (your email address as the user name, the API token as the password).");
                }
                throw;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <summary>Whether the site says it is Jira Cloud when asked without credentials (serverInfo allows anonymous access); false when it does not answer.</summary>
        private static async Task<bool> IsCloudAsync(JiraConnectionOptions options, CancellationToken cancellationToken)
        {
            using (var anonymous = new JiraClient(options.WithoutCredentials()))
            {
                try
                {
                    var info = await anonymous.GetAsync<ServerInfoDto>(anonymous.Resolve("/rest/api/2/serverInfo"), cancellationToken).ConfigureAwait(false);
                    return string.Equals(info?.DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);
                }
                catch (JiraException)
                {
                    return false;
                }
            }
        }

        /// <summary>
        /// Jira Cloud through the API gateway (https://api.atlassian.com/ex/jira/{cloudId}/): an OAuth token (the site
        /// picked among its accessible resources by cloudId or URL) or a scoped API token with the cloudId.
        /// </summary>
        internal static async Task<JiraSession> ConnectGatewayAsync(JiraConnectionOptions options, CancellationToken cancellationToken)
        {
            string cloudId = options.CloudId;
            Uri siteUrl = options.Url;
            Uri gateway = options.ApiGatewayUrl ?? options.OAuthToken?.Environment.ApiGatewayUrl ?? JiraOAuthEnvironment.Atlassian.ApiGatewayUrl;
            if (options.OAuthToken != null)
            {
                var resources = await JiraOAuthService.GetAccessibleResourcesAsync(options.OAuthToken, options, cancellationToken).ConfigureAwait(false);
                var resource = JiraOAuthService.SelectJiraResource(resources, cloudId, siteUrl);
                cloudId = resource.CloudId;
                siteUrl = resource.Url ?? siteUrl;
                JiraLog.Verbose($"Using the accessible resource {resource.Name} ({resource.Url}, cloudId {resource.CloudId}).");
            }
            var root = new JiraOAuthEnvironment { ApiGatewayUrl = gateway }.JiraRoot(cloudId);
            var client = new JiraClient(options.WithUrl(root));
            try
            {
                var info = await client.GetAsync<ServerInfoDto>(client.Resolve("/rest/api/2/serverInfo"), cancellationToken).ConfigureAwait(false);
                client.ApiBaseUrl = new Uri(client.SiteUrl, "rest/api/3/");
                if (siteUrl == null && Uri.TryCreate(info?.BaseUrl, UriKind.Absolute, out var reported)) siteUrl = reported;
                if (siteUrl != null) client.SiteAlias = JiraClient.NormalizeSiteUrl(siteUrl);
                UserDto me;
                try
                {
                    me = await client.GetAsync<UserDto>(client.Resolve("myself"), cancellationToken).ConfigureAwait(false);
                }
                catch (JiraAuthenticationException e) when (options.OAuthToken != null && e.ErrorId == JiraErrorId.GatewayScopeMissing)
                {
                    throw new JiraException(JiraErrorId.OAuthScopeMissing, JiraErrorKind.PermissionDenied,
                        "The gateway refused GET myself: the token lacks the scope read:jira-user.", e.Target,
                        "Add read:jira-user to the app's scopes (developer console, Permissions) and to -Scope, then run Invoke-JiraOAuthConsent again.", e);
                }
                var type = options.OAuthToken != null ? JiraAuthenticationType.OAuth
                    : options.Authentication is ClientCredentialsAuthentication ? JiraAuthenticationType.ClientCredentials
                    : JiraAuthenticationType.ScopedApiToken;
                string name = string.IsNullOrWhiteSpace(options.Name) ? (siteUrl?.Host ?? cloudId) : options.Name;
                return new JiraSession(name, client, info?.DeploymentType ?? "Cloud", info?.Version, info?.ServerTitle, type, ToUser(me),
                    siteUrl == null ? null : JiraClient.NormalizeSiteUrl(siteUrl), cloudId, options.OAuthToken);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        internal static JiraUser ToUser(UserDto dto) => dto == null ? null : new JiraUser
        {
            AccountId = dto.AccountId,
            Name = dto.Name,
            DisplayName = dto.DisplayName,
            EmailAddress = dto.EmailAddress,
            Active = dto.Active,
            AccountType = dto.AccountType,
            TimeZone = dto.TimeZone,
        };
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using JiraConnect.Http;
using JiraConnect.OAuth;

namespace JiraConnect.Services
{
    /// <summary>What an OAuth app or a session looks like in an integration platform's connector form, and the mistakes visible from here.</summary>
    public sealed class JiraConnectorSettings
    {
        internal JiraConnectorSettings(IReadOnlyList<JiraConnectorSetting> settings, IReadOnlyList<string> warnings)
        {
            Settings = settings;
            Warnings = warnings;
        }

        public IReadOnlyList<JiraConnectorSetting> Settings { get; }
        public IReadOnlyList<string> Warnings { get; }
    }

    public static class JiraConnectorSettingService
    {
        public const string SecretMask = "********";

        /// <summary>Scopes of the connector guide's "Authorization Code Grant Scope" and what the platform needs each for.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> ExpectedScopes = new[]
        {
            new KeyValuePair<string, string>("read:jira-work", "the connection test and every read of projects and issues (GET /rest/api/3/project)"),
            new KeyValuePair<string, string>("write:jira-work", "creating and updating issues, comments and transitions"),
            new KeyValuePair<string, string>("read:jira-user", "user lookups and assigning issues"),
            new KeyValuePair<string, string>(JiraOAuthService.OfflineAccess, "refresh tokens: without it the platform must ask the user to consent again every hour"),
        };

        /// <summary>The field of the row that states Atlassian's guidance where it applies.</summary>
        public const string NotesField = "Notes";

        private const string GuidanceSources = "Sources: developer.atlassian.com/cloud/jira/software/oauth-2-3lo-apps/ (notice, July 2025); "
            + "www.atlassian.com/blog/developer/building-secure-and-scalable-integrations-our-guidance-for-third-party-apps (June 2025).";

        /// <summary>Atlassian's guidance on collected API tokens, stated as a fact with its source.</summary>
        internal const string ApiTokenGuidance = "Atlassian's guidance for third-party apps: an app that collects its customers' API tokens "
            + "(personal or service-account) is non-compliant, and enforcement began on 1 January 2026. For a platform that connects on a "
            + "customer's behalf, Atlassian's recommended path is a service account with OAuth 2.0 client credentials "
            + "(Connect-JiraSite -ClientCredential). " + GuidanceSources;

        /// <summary>Atlassian's guidance on per-customer 3LO apps, stated as a fact with its source.</summary>
        internal const string OAuthAppGuidance = "Atlassian's guidance for third-party apps: having each customer register their own "
            + "OAuth 2.0 (3LO) app is non-compliant; a vendor builds one distributable app. For a connection one customer sets up for "
            + "itself, Atlassian's recommended machine-to-machine path is a service account with OAuth 2.0 client credentials "
            + "(Connect-JiraSite -ClientCredential). " + GuidanceSources;

        /// <summary>The OAuth 2.0 authorization code connector for an app.</summary>
        public static JiraConnectorSettings ForOAuthApp(JiraOAuthEnvironment environment, string clientId, bool hasClientSecret, IEnumerable<string> scopes,
            Uri callbackUrl, string cloudId)
        {
            environment = environment ?? JiraOAuthEnvironment.Atlassian;
            var scopeList = (scopes ?? Enumerable.Empty<string>()).SelectMany(s => s.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
            string gateway = environment.ApiGatewayUrl.AbsoluteUri.TrimEnd('/');
            var rows = new List<JiraConnectorSetting>();
            void Add(string field, string value, string note = null, bool secret = false) =>
                rows.Add(new JiraConnectorSetting { Connection = "OAuth2", Order = rows.Count + 1, Field = field, Value = value, Note = note, IsSecret = secret });

            Add("Base URL", gateway,
                string.IsNullOrEmpty(cloudId)
                    ? "OAuth tokens work only through the API gateway; Jira paths are /ex/jira/<cloudId>/rest/api/3/... (Get-JiraAccessibleResource shows the cloudId)."
                    : $"Jira paths are /ex/jira/{cloudId}/rest/api/3/...; the guide's test path /oauth/token/accessible-resources works on this base.");
            if (!string.IsNullOrEmpty(cloudId)) Add("Jira API path prefix", $"/ex/jira/{cloudId}/rest/api/3", "Prefix every Jira REST path of the actions with it.");
            Add("Auth Config", "OAuth2");
            Add("OAuth2 Grant Type", "Authorization Code Grant");
            Add("Authorization URL", environment.AuthorizationUrl.AbsoluteUri);
            Add("Client ID", clientId);
            Add("Client Secret", hasClientSecret ? SecretMask + " (the client secret)" : "(the client secret from the developer console, Settings)", "Paste it from the developer console; it is never shown here.", secret: true);
            Add("Authorization Code Grant Scope", string.Join(" ", scopeList));
            Add("Authorization Request Query Parameters", "audience: " + (environment.Audience ?? JiraOAuthEnvironment.AtlassianAudience), "Also add prompt: consent to show the consent page every time.");
            Add("OAuth2 Token URL", environment.TokenUrl.AbsoluteUri);
            Add("OAuth2 Client Authentication", "OAuth 2.0 with Request Body", "Atlassian reads client_id and client_secret from the JSON body; there is no PKCE.");
            Add("OAuth2 Custom OAuth Response Type", "JSON");
            Add("Additional Headers", "Content-Type: application/json");
            Add("Header Auth Key", "Authorization");
            Add("Header Auth Value Pattern", "Bearer %s");
            Add("Custom Grant Type", "authorization_code");
            if (callbackUrl != null) Add("Callback URL (developer console)", callbackUrl.OriginalString, "Register exactly this URL for the app (Authorization, OAuth 2.0 (3LO)); the redirect must match it character for character.");
            Add(NotesField, OAuthAppGuidance);

            var warnings = new List<string>();
            foreach (var expected in ExpectedScopes)
            {
                if (!scopeList.Contains(expected.Key, StringComparer.Ordinal))
                    warnings.Add($"The scope {expected.Key} is missing: the platform needs it for {expected.Value}.");
            }
            if (callbackUrl != null && callbackUrl.Scheme == Uri.UriSchemeHttp && !JiraHttpPipeline.IsLoopback(callbackUrl))
                warnings.Add($"The callback URL {callbackUrl.GetLeftPart(UriPartial.Path)} uses http:// on a host that is not this computer: authorization codes would cross the network unencrypted. Use https://.");
            if (string.IsNullOrEmpty(clientId))
                warnings.Add("No client ID: copy it from the developer console (your app, Settings).");
            return new JiraConnectorSettings(rows, warnings);
        }

        /// <summary>The connector for the app a token was issued to; <paramref name="redirectUri"/> overrides the token's own.</summary>
        public static JiraConnectorSettings ForToken(JiraOAuthToken token, Uri redirectUri, string cloudId)
        {
            if (token == null) throw new ArgumentNullException(nameof(token));
            return ForOAuthApp(token.Environment, token.ClientId, token.HasClientSecret, token.Scopes, redirectUri ?? token.RedirectUri, cloudId);
        }

        /// <summary>The connector for a session: OAuth sessions as above, Basic Auth sessions with base URL and user name.</summary>
        public static JiraConnectorSettings ForSession(JiraSession session)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (session.Authentication == JiraAuthenticationType.OAuth && session.OAuthToken != null)
                return ForToken(session.OAuthToken, null, session.CloudId);
            if (session.Authentication == JiraAuthenticationType.ClientCredentials && session.ClientCredential != null)
                return ForClientCredentials(session);

            var rows = new List<JiraConnectorSetting>();
            void Add(string field, string value, string note = null, bool secret = false) =>
                rows.Add(new JiraConnectorSetting { Connection = "BasicAuth", Order = rows.Count + 1, Field = field, Value = value, Note = note, IsSecret = secret });
            bool gateway = session.Authentication == JiraAuthenticationType.ScopedApiToken;
            Add("Base URL", gateway ? session.Client.SiteUrl.AbsoluteUri.TrimEnd('/') : session.SiteUrl.AbsoluteUri.TrimEnd('/'),
                gateway ? "A scoped API token works only through the API gateway, not on the site URL." : null);
            Add("Auth Config", "Basic Auth");
            string user = session.IsCloud ? session.User?.EmailAddress : session.User?.Name;
            Add("Username", string.IsNullOrEmpty(user) ? "(the account's " + (session.IsCloud ? "email address" : "user name") + ")" : user,
                session.IsCloud && string.IsNullOrEmpty(session.User?.EmailAddress) ? "The profile hides the email address: type the one the API token belongs to." : null);
            string secretName = session.Authentication == JiraAuthenticationType.Password ? "the password"
                : session.Authentication == JiraAuthenticationType.PersonalAccessToken ? "the personal access token" : "the API token";
            Add("Password", SecretMask + " (" + secretName + ")", "Paste it from where you keep it; it is never shown here.", secret: true);
            Add("Test endpoint", "/rest/api/" + session.RestApiVersion + "/project", "GET; returns the projects the account can see.");
            if (session.IsCloud && (session.Authentication == JiraAuthenticationType.ApiToken || session.Authentication == JiraAuthenticationType.ScopedApiToken))
                Add(NotesField, ApiTokenGuidance);

            var warnings = new List<string>();
            if (session.SiteUrl.Scheme == Uri.UriSchemeHttp && !JiraHttpPipeline.IsLoopback(session.SiteUrl))
                warnings.Add($"The base URL {session.SiteUrl} uses http://: Basic credentials would cross the network unencrypted. Use https://.");
            if (session.Authentication == JiraAuthenticationType.PersonalAccessToken)
                warnings.Add("The session uses a personal access token (Bearer): choose the platform's bearer/API key auth with header Authorization and pattern 'Bearer %s' instead of Basic Auth.");
            return new JiraConnectorSettings(rows, warnings);
        }

        /// <summary>
        /// A service account's client credentials as the platform's OAuth2 client-credentials connector: Jira Cloud through
        /// the API gateway (/ex/jira/{cloudId}), Jira Data Center on the site.
        /// </summary>
        private static JiraConnectorSettings ForClientCredentials(JiraSession session)
        {
            var credential = session.ClientCredential;
            var rows = new List<JiraConnectorSetting>();
            void Add(string field, string value, string note = null, bool secret = false) =>
                rows.Add(new JiraConnectorSetting { Connection = "OAuth2ClientCredentials", Order = rows.Count + 1, Field = field, Value = value, Note = note, IsSecret = secret });

            string baseUrl = session.Client.SiteUrl.AbsoluteUri.TrimEnd('/');
            Add("Base URL", baseUrl, credential.IsDataCenter
                ? "Service accounts use REST API version 2 (/rest/api/2/...) and cannot call administration endpoints."
                : $"Client-credentials tokens work only through the API gateway; Jira paths are /rest/api/{session.RestApiVersion}/... under this base.");
            Add("Auth Config", "OAuth2");
            Add("OAuth2 Grant Type", "Client Credentials Grant");
            Add("Client ID", credential.ClientId);
            Add("Client Secret", SecretMask + " (the client secret)", "Paste it from where you keep it (it is shown only once, when the credential is created); it is never shown here.", secret: true);
            string[] scopes = credential.RequestedScopes.Length > 0 ? credential.RequestedScopes : credential.Scopes;
            Add("Client Credentials Grant Scope", string.Join(" ", scopes), credential.IsDataCenter
                ? "READ, or WRITE (which includes READ)."
                : "Leave it empty to get every scope chosen when the credential was created.");
            Add("OAuth2 Token URL", credential.TokenUrl.AbsoluteUri);
            Add("OAuth2 Client Authentication", "OAuth 2.0 with Request Body",
                credential.RequestFormat == "json" ? "This token endpoint accepted only a JSON body." : "client_id and client_secret go in the form body.");
            Add("Additional Request Data", "grant_type: client_credentials");
            Add("OAuth2 Custom OAuth Response Type", "JSON");
            Add("Test endpoint", "/rest/api/" + session.RestApiVersion + "/project", "GET; returns the projects the service account can see.");

            var warnings = new List<string>();
            if (session.Client.SiteUrl.Scheme == Uri.UriSchemeHttp && !JiraHttpPipeline.IsLoopback(session.Client.SiteUrl))
                warnings.Add($"The base URL {session.Client.SiteUrl} uses http://: access tokens would cross the network unencrypted. Use https://.");
            return new JiraConnectorSettings(rows, warnings);
        }
    }
}

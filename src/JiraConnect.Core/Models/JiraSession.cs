using System;
using JiraConnect.Http;

namespace JiraConnect
{
    /// <summary>A connection to one Jira site. Holds its HTTP client; never exposes a credential.</summary>
    public sealed class JiraSession : IDisposable
    {
        internal JiraSession(string name, JiraClient client, string deploymentType, string version, string serverTitle,
            JiraAuthenticationType authenticationType, JiraUser user, Uri siteUrl = null, string cloudId = null, JiraOAuthToken oauthToken = null)
        {
            Name = name;
            Client = client;
            SiteUrl = siteUrl ?? client.SiteUrl;
            CloudId = cloudId;
            OAuthToken = oauthToken;
            DeploymentType = deploymentType;
            Version = version;
            ServerTitle = serverTitle;
            Authentication = authenticationType;
            User = user;
            ConnectedAt = DateTimeOffset.Now;
        }

        /// <summary>A stand-in for a session name that names no session: -Session binds it, and the cmdlet reports SessionNotFound.</summary>
        private JiraSession(string name)
        {
            Name = name;
            IsClosed = true;
            IsUnresolved = true;
            ConnectedAt = DateTimeOffset.Now;
        }

        internal static JiraSession Unresolved(string name) => new JiraSession(name);

        /// <summary>True for the stand-in of a name no session has.</summary>
        internal bool IsUnresolved { get; }

        public string Name { get; }

        /// <summary>The site's own URL (through the API gateway, the URL of the accessible resource).</summary>
        public Uri SiteUrl { get; }
        public Uri ApiBaseUrl => Client.ApiBaseUrl;
        /// <summary>Cloud, Server or DataCenter.</summary>
        public string DeploymentType { get; }
        public bool IsCloud => string.Equals(DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);
        public string Version { get; }
        public string ServerTitle { get; }
        /// <summary>3 on Cloud, 2 on Server and Data Center.</summary>
        public string RestApiVersion => IsCloud ? "3" : "2";
        /// <summary>ApiToken, Password, PersonalAccessToken, OAuth or ScopedApiToken (the names of <see cref="JiraAuthenticationType"/>).</summary>
        public string AuthenticationType => Authentication.ToString();
        internal JiraAuthenticationType Authentication { get; }
        public JiraUser User { get; }
        /// <summary>Jira Cloud through the API gateway: the site's cloudId; empty otherwise.</summary>
        public string CloudId { get; }
        /// <summary>OAuth: the granted scopes; empty otherwise.</summary>
        public JiraTextList Scopes => OAuthToken?.Scopes ?? JiraTextList.Empty;
        /// <summary>OAuth and client credentials: when the current access token expires (it is renewed before, when it can be).</summary>
        public DateTimeOffset? TokenExpiresAt => OAuthToken?.ExpiresAt ?? ClientCredential?.ExpiresAt;
        /// <summary>Client credentials (service account): the credential the session gets its access tokens with.</summary>
        public JiraClientCredential ClientCredential { get; internal set; }
        /// <summary>OAuth with a refresh token: when it lapses unless used (90 days after it was issued; at the latest a year after consent).</summary>
        public DateTimeOffset? RefreshTokenExpiresAt => OAuthToken != null && OAuthToken.HasRefreshToken ? OAuthToken.ObtainedAt + JiraCredentialExpiry.RefreshTokenInactivity : (DateTimeOffset?)null;
        /// <summary>When the credential was said to expire (-TokenExpiresAt): the API token, personal access token, client secret or OAuth grant.</summary>
        public DateTimeOffset? StatedExpiresAt { get; internal set; }
        /// <summary>When the session's credential stops working as far as known (see <see cref="JiraCredentialExpiry"/>); null when unknown.</summary>
        public DateTimeOffset? CredentialExpiresAt => JiraCredentialExpiry.ExpiresAt(this);
        /// <summary>How the session came to connect the way it did, when that was not the obvious way (a scoped token moved to the API gateway).</summary>
        public string Note { get; internal set; }
        /// <summary>OAuth: where the token is persisted, if anywhere.</summary>
        public string TokenCachePath => OAuthToken?.TokenCachePath;
        /// <summary>OAuth: the token the session calls with (shared with the caller's variable; refreshed in place).</summary>
        public JiraOAuthToken OAuthToken { get; }
        public DateTimeOffset ConnectedAt { get; }
        /// <summary>True while this is the default session (set by <see cref="JiraSessionRegistry"/>).</summary>
        public bool IsDefault { get; internal set; }
        public bool IsClosed { get; private set; }

        internal JiraClient Client { get; }

        public override string ToString() => DisplayText.Escape(Name + " (" + SiteUrl + ")");

        public void Dispose()
        {
            IsClosed = true;
            Client?.Dispose();
        }
    }
}

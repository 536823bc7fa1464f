using System;
using System.Net;
using JiraConnect.Security;

namespace JiraConnect.Http
{
    /// <summary>Everything needed to reach one Jira site.</summary>
    public sealed class JiraConnectionOptions
    {
        /// <summary>The site URL, e.g. https://example.atlassian.net or https://jira.example.com/jira.</summary>
        public Uri Url { get; set; }
        public JiraAuthentication Authentication { get; set; }
        /// <summary>Session name; defaults to the host name.</summary>
        public string Name { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
        public RetryPolicy Retry { get; set; } = RetryPolicy.Default;
        /// <summary>An explicit proxy; null uses the system proxy unless <see cref="NoProxy"/> is set.</summary>
        public Uri Proxy { get; set; }
        public ICredentials ProxyCredential { get; set; }
        public bool NoProxy { get; set; }
        public bool SkipCertificateCheck { get; set; }
        public bool AllowUnencryptedAuthentication { get; set; }
        /// <summary>Jira Cloud through the API gateway: the site's cloudId (OAuth tokens and scoped API tokens).</summary>
        public string CloudId { get; set; }
        /// <summary>The API gateway; default https://api.atlassian.com/ (or the OAuth token's environment).</summary>
        public Uri ApiGatewayUrl { get; set; }
        /// <summary>The OAuth token of the session, when it authenticates with one.</summary>
        public JiraOAuthToken OAuthToken { get; set; }

        /// <summary>Service account OAuth 2.0 client credentials: the client id (with <see cref="ClientSecret"/>).</summary>
        public string ClientId { get; set; }
        /// <summary>Service account OAuth 2.0 client credentials: the secret.</summary>
        public System.Security.SecureString ClientSecret { get; set; }
        /// <summary>Client credentials: the scopes to ask for; none asks for every scope of the credential.</summary>
        public string[] Scopes { get; set; }
        /// <summary>Client credentials: the token endpoint; default Atlassian's (Cloud) or {base}/rest/oauth2/latest/token (Data Center).</summary>
        public Uri TokenUrl { get; set; }
        /// <summary>When the credential (API token, personal access token, client secret, OAuth grant) expires, as the caller knows it.</summary>
        public DateTimeOffset? CredentialExpiresAt { get; set; }

        internal JiraConnectionOptions WithoutCredentials()
        {
            var copy = (JiraConnectionOptions)MemberwiseClone();
            copy.Authentication = null;
            copy.OAuthToken = null;
            copy.ClientSecret = null;
            return copy;
        }

        internal JiraConnectionOptions WithUrl(Uri url)
        {
            var copy = (JiraConnectionOptions)MemberwiseClone();
            copy.Url = url;
            return copy;
        }
    }
}

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

        /// <summary>The same options without credentials, for an anonymous probe.</summary>
        internal JiraConnectionOptions Anonymous()
        {
            var copy = (JiraConnectionOptions)MemberwiseClone();
            copy.Authentication = null;
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

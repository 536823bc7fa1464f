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
    }
}

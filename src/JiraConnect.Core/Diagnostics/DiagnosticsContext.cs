using System;
using JiraConnect.Http;

namespace JiraConnect.Diagnostics
{
    /// <summary>What the check families share: the inputs, and the session and account once the credentials were checked.</summary>
    internal sealed class DiagnosticsContext : IDisposable
    {
        public DiagnosticsContext(JiraConnectionTestOptions options)
        {
            Options = options;
            Session = options.Session;
            // Where the requests really go: the site, or for OAuth and scoped tokens the API gateway.
            SiteUrl = Session?.ApiBaseUrl ?? JiraClient.NormalizeSiteUrl(options.Connection.Url);
        }

        public JiraConnectionTestOptions Options { get; }
        public Uri SiteUrl { get; }
        /// <summary>The site's scheme, host and port: the target of the site, credential and OAuth checks.</summary>
        public string Site => SiteUrl.GetLeftPart(UriPartial.Authority);
        /// <summary>The session tested, or the one opened for the test (null until the credentials step connects).</summary>
        public JiraSession Session { get; private set; }
        public JiraUser User { get; set; }
        /// <summary>Set when Jira accepted the credentials.</summary>
        public bool CredentialsOk { get; set; }
        private bool _ownsSession;

        /// <summary>A session opened for the test; closed on dispose.</summary>
        public void Opened(JiraSession session)
        {
            Session = session;
            _ownsSession = true;
        }

        public JiraConnectionCheck Skipped(string name, string why, string target = null) => Check.Skipped(name, why, target ?? Site);

        public void Dispose()
        {
            if (_ownsSession) Session?.Dispose();
        }
    }
}

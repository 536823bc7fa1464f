using System;
using System.Collections.Concurrent;

namespace JiraConnect.Http
{
    /// <summary>
    /// The origins (scheme, host and port) a session's credentials may go to: the session's own site, plus any
    /// origin of the same account the caller trusts explicitly (the Automation API's gateway). One instance per
    /// client, read by the authentication handler on every attempt and by <see cref="JiraClient"/> for absolute URLs.
    /// </summary>
    internal sealed class CredentialOrigins
    {
        private readonly ConcurrentDictionary<string, bool> _extra = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        public CredentialOrigins(Uri site)
        {
            Site = JiraHttpPipeline.Origin(site);
        }

        /// <summary>The session's own origin ("https://example.atlassian.net").</summary>
        public string Site { get; }

        /// <summary>Lets credentials go to another origin of the same account.</summary>
        public void Trust(Uri url)
        {
            string origin = JiraHttpPipeline.Origin(url);
            if (origin.Length > 0) _extra[origin] = true;
        }

        /// <summary>Whether a request to this URL may carry the session's credentials.</summary>
        public bool Allows(Uri url)
        {
            if (url == null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)) return false;
            string origin = JiraHttpPipeline.Origin(url);
            return string.Equals(origin, Site, StringComparison.OrdinalIgnoreCase) || _extra.ContainsKey(origin);
        }
    }
}

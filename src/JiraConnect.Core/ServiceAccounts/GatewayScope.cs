using System;

namespace JiraConnect.ServiceAccounts
{
    /// <summary>
    /// The classic scope a Jira REST call through the API gateway needs, for naming it when the gateway answers
    /// 401 "Unauthorized; scope does not match": read:jira-user for myself and user lookups, read:jira-work for other
    /// reads, write:jira-work for writes.
    /// </summary>
    internal static class GatewayScope
    {
        public const string ScopeMismatch = "scope does not match";

        public static bool IsScopeMismatch(string body) => body != null && body.IndexOf(ScopeMismatch, StringComparison.OrdinalIgnoreCase) >= 0;

        public static string RequiredFor(string method, Uri url)
        {
            string path = url?.AbsolutePath ?? string.Empty;
            int api = path.IndexOf("/rest/api/", StringComparison.OrdinalIgnoreCase);
            string resource = api < 0 ? path : path.Substring(api + "/rest/api/".Length);
            int slash = resource.IndexOf('/');
            resource = slash < 0 ? string.Empty : resource.Substring(slash + 1);
            if (resource.StartsWith("myself", StringComparison.OrdinalIgnoreCase) || resource.Equals("user", StringComparison.OrdinalIgnoreCase)
                || resource.StartsWith("user/", StringComparison.OrdinalIgnoreCase) || resource.StartsWith("user?", StringComparison.OrdinalIgnoreCase))
                return "read:jira-user";
            bool read = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);
            return read ? "read:jira-work" : "write:jira-work";
        }

        public static string Remedy(string scope) =>
            $"Scopes are fixed when a scoped API token or an OAuth 2.0 credential is created: create a new one that includes {scope} "
            + "(Atlassian Administration, Directory, Service accounts, or your account's API tokens page for a personal scoped token) and connect with it. "
            + "For an OAuth 2.0 (3LO) token, add the scope to the app and run Invoke-JiraOAuthConsent again.";
    }
}

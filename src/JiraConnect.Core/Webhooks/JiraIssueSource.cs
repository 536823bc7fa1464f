using System;
using System.Collections.Specialized;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;

namespace JiraConnect.Webhooks
{
    /// <summary>Fetches the issue and user a webhook would carry, in the REST API version 2 shape webhooks use.</summary>
    public static class JiraIssueSource
    {
        public static async Task<OrderedDictionary> GetIssueAsync(JiraSession session, string issueKey, CancellationToken cancellationToken)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (string.IsNullOrWhiteSpace(issueKey)) throw new ArgumentException("An issue key is required.", nameof(issueKey));
            var url = JiraRestService.Resolve(session, "/rest/api/2/issue/" + Uri.EscapeDataString(issueKey.Trim()), null);
            var result = await JiraRestService.InvokeAsync(session, HttpMethod.Get, url, null, cancellationToken).ConfigureAwait(false);
            return JiraWebhookPayloadBuilder.ReadIssue(result.Content);
        }

        /// <summary>The session's user as a webhook's "user" object.</summary>
        public static OrderedDictionary UserOf(JiraSession session)
        {
            var user = session?.User;
            if (user == null) return null;
            var map = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            if (!string.IsNullOrEmpty(user.AccountId)) map["accountId"] = user.AccountId;
            if (!string.IsNullOrEmpty(user.Name)) map["name"] = user.Name;
            if (!string.IsNullOrEmpty(user.EmailAddress)) map["emailAddress"] = user.EmailAddress;
            map["displayName"] = user.DisplayName;
            map["active"] = user.Active;
            if (!string.IsNullOrEmpty(user.TimeZone)) map["timeZone"] = user.TimeZone;
            if (!string.IsNullOrEmpty(user.AccountType)) map["accountType"] = user.AccountType;
            return map;
        }
    }
}

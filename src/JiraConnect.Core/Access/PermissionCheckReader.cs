using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

namespace JiraConnect.Access
{
    /// <summary>Cloud, another account: POST permissions/check (needs Administer Jira); a read, so it is retried after 429.</summary>
    internal sealed class PermissionCheckReader : PermissionReader
    {
        public PermissionCheckReader(JiraSession session, string accountId, IReadOnlyList<string> required)
            : base(session, accountId, required)
        {
        }

        public override string Source => $"POST permissions/check for account {AccountId}";

        public override async Task<HashSet<string>> ReadAsync(JiraProject project, CancellationToken ct)
        {
            if (!long.TryParse(project.Id, NumberStyles.None, CultureInfo.InvariantCulture, out long projectId))
                throw new JiraProtocolException(JiraErrorId.InvalidJsonResponse, $"Project {project.Key} has no numeric id ('{project.Id}').", project.Key, "Report this answer of the project search.");
            string body = JsonTree.Serialize(new Dictionary<string, object>
            {
                ["accountId"] = AccountId,
                ["projectPermissions"] = new[] { new Dictionary<string, object> { ["permissions"] = Required, ["projects"] = new[] { projectId } } },
            });
            JiraResponse response;
            try
            {
                response = await Session.Client.SendAsync(HttpMethod.Post, Session.Client.Resolve("permissions/check"), body, retryable: true, ct).ConfigureAwait(false);
            }
            catch (JiraPermissionException e)
            {
                throw new JiraPermissionException(JiraErrorId.PermissionDenied, e.StatusCode,
                    "Jira refused to check another account's permissions: that needs the Administer Jira global permission." + JiraErrorFactory.Suffix(e),
                    AccountId, e.ErrorMessages, e.Errors,
                    "Run the audit with a Jira administrator's session, or connect as the account itself and omit -AccountId.");
            }
            var grants = JiraClient.ReadJson<BulkPermissionGrantsDto>(response);
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var grant in grants?.ProjectPermissions ?? new List<BulkProjectPermissionGrantsDto>())
                if (grant?.Projects?.Contains(projectId) == true) held.Add(grant.Permission);
            return held;
        }
    }
}

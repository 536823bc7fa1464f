using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

namespace JiraConnect.Access
{
    /// <summary>
    /// Cloud: POST permissions/check, for up to <see cref="MaxProjects"/> projects a request. Without an account it
    /// answers for the session's own account (no global permission needed); another account needs Administer Jira.
    /// A read, so it is retried after 429.
    /// </summary>
    internal sealed class PermissionCheckReader : PermissionReader, IBulkPermissionReader
    {
        /// <summary>Jira Cloud's limit of project ids in one entry of projectPermissions.</summary>
        public const int MaxProjects = 1000;

        /// <param name="accountId">Another account; null for the session's own.</param>
        public PermissionCheckReader(JiraSession session, string accountId, IReadOnlyList<string> required)
            : base(session, accountId, required)
        {
        }

        public override string Source => AccountId == null
            ? "POST permissions/check (the session's account)"
            : $"POST permissions/check for account {AccountId}";

        public override async Task<HashSet<string>> ReadAsync(JiraProject project, CancellationToken ct) =>
            (await ReadManyAsync(new[] { project }, ct).ConfigureAwait(false))[project.Id];

        public async Task<Dictionary<string, HashSet<string>>> ReadManyAsync(IReadOnlyList<JiraProject> projects, CancellationToken ct)
        {
            if (projects.Count > MaxProjects) throw new ArgumentOutOfRangeException(nameof(projects), $"At most {MaxProjects} projects a request.");
            var ids = new List<long>(projects.Count);
            foreach (var project in projects)
            {
                if (!long.TryParse(project.Id, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
                    throw new JiraProtocolException(JiraErrorId.InvalidJsonResponse, $"Project {project.Key} has no numeric id ('{project.Id}').", project.Key, "Report this answer of the project search.");
                ids.Add(id);
            }
            var request = new Dictionary<string, object>
            {
                ["projectPermissions"] = new[] { new Dictionary<string, object> { ["permissions"] = Required, ["projects"] = ids } },
            };
            if (AccountId != null) request["accountId"] = AccountId;
            JiraResponse response;
            try
            {
                response = await Session.Client.SendAsync(HttpMethod.Post, Session.Client.Resolve("permissions/check"), JsonTree.Serialize(request), retryable: true, ct).ConfigureAwait(false);
            }
            catch (JiraPermissionException e) when (AccountId != null)
            {
                throw new JiraPermissionException(JiraErrorId.PermissionDenied, e.StatusCode,
                    "Jira refused to check another account's permissions: that needs the Administer Jira global permission." + JiraErrorFactory.Suffix(e),
                    AccountId, e.ErrorMessages, e.Errors,
                    "Run the audit with a Jira administrator's session, or connect as the account itself and omit -AccountId.");
            }
            var grants = JiraClient.ReadJson<BulkPermissionGrantsDto>(response);
            var held = projects.ToDictionary(p => p.Id, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
            foreach (var grant in grants?.ProjectPermissions ?? new List<BulkProjectPermissionGrantsDto>())
            {
                if (grant?.Permission == null) continue;
                foreach (long id in grant.Projects ?? new List<long>())
                    if (held.TryGetValue(id.ToString(CultureInfo.InvariantCulture), out var set)) set.Add(grant.Permission);
            }
            return held;
        }
    }
}

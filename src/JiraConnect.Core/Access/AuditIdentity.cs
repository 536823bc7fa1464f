using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

namespace JiraConnect.Access
{
    /// <summary>The account an audit is about: the session's own, or another one named by accountId or user name.</summary>
    internal sealed class AuditIdentity
    {
        public string Id { get; private set; }
        public string DisplayName { get; private set; }
        public bool IsSelf { get; private set; }
        public HashSet<string> Groups { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        public bool GroupsKnown { get; private set; }
        public string GroupsProblem { get; private set; }

        /// <summary>
        /// The session's own account (GET myself, groups only when the role is checked), or another account
        /// (GET user with its groups; AccountNotFound when Jira knows no such account).
        /// </summary>
        public static async Task<AuditIdentity> LoadAsync(JiraSession session, string accountId, bool withGroups, CancellationToken ct)
        {
            var identity = new AuditIdentity();
            identity.IsSelf = string.IsNullOrWhiteSpace(accountId)
                || string.Equals(accountId.Trim(), session.User?.Id, StringComparison.OrdinalIgnoreCase);
            if (identity.IsSelf)
            {
                identity.Id = session.User?.Id;
                identity.DisplayName = session.User?.DisplayName;
                if (withGroups) await identity.LoadGroupsAsync(session, "myself", new Dictionary<string, object> { ["expand"] = "groups" }, ct).ConfigureAwait(false);
                return identity;
            }

            string id = accountId.Trim();
            identity.Id = id;
            var query = new Dictionary<string, object> { [session.IsCloud ? "accountId" : "username"] = id, ["expand"] = "groups" };
            try
            {
                await identity.LoadGroupsAsync(session, "user", query, ct).ConfigureAwait(false);
            }
            catch (JiraNotFoundException e)
            {
                throw new JiraApiException(JiraErrorId.AccountNotFound, JiraErrorKind.NotFound, HttpStatusCode.NotFound,
                    $"Jira knows no {(session.IsCloud ? "account with the accountId" : "user named")} '{id}'." + JiraErrorFactory.Suffix(e), id, e.ErrorMessages, e.Errors,
                    session.IsCloud ? "Pass the accountId (as shown by Invoke-JiraRestMethod user/search?query=<email>), not the email address." : "Pass the user name, not the display name.");
            }
            return identity;
        }

        private async Task LoadGroupsAsync(JiraSession session, string path, Dictionary<string, object> query, CancellationToken ct)
        {
            try
            {
                var user = await session.Client.GetAsync<UserDto>(session.Client.Resolve(path, query), ct).ConfigureAwait(false);
                if (user != null)
                {
                    Id = IsSelf ? Id : (user.AccountId ?? user.Name ?? Id);
                    DisplayName = user.DisplayName ?? DisplayName;
                    foreach (var group in user.Groups?.Items ?? new List<GroupNameDto>())
                    {
                        if (!string.IsNullOrEmpty(group?.Name)) Groups.Add(group.Name);
                        if (!string.IsNullOrEmpty(group?.GroupId)) Groups.Add(group.GroupId);
                    }
                }
                GroupsKnown = true;
            }
            catch (JiraPermissionException e)
            {
                GroupsProblem = $"GET {path} answered {(int)e.StatusCode}";
            }
        }
    }
}

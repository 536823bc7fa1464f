using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Json;

namespace JiraConnect.Access
{
    /// <summary>
    /// Data Center, another user: user/permission/search returns the user when it holds every permission asked for;
    /// when it does not, each permission is asked for on its own.
    /// </summary>
    internal sealed class PermissionSearchReader : PermissionReader
    {
        public PermissionSearchReader(JiraSession session, string userName, IReadOnlyList<string> required)
            : base(session, userName, required)
        {
        }

        public override string Source => $"GET user/permission/search for user {AccountId}";

        public override async Task<HashSet<string>> ReadAsync(JiraProject project, CancellationToken ct)
        {
            if (await HoldsAllAsync(project, Required, ct).ConfigureAwait(false))
                return new HashSet<string>(Required, StringComparer.Ordinal);
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var permission in Required)
                if (await HoldsAllAsync(project, new[] { permission }, ct).ConfigureAwait(false)) held.Add(permission);
            return held;
        }

        private async Task<bool> HoldsAllAsync(JiraProject project, IReadOnlyList<string> permissions, CancellationToken ct)
        {
            var url = Session.Client.Resolve("user/permission/search", new Dictionary<string, object>
            {
                ["username"] = AccountId,
                ["projectKey"] = project.Key,
                ["permissions"] = string.Join(",", permissions),
                ["maxResults"] = 1000,
            });
            var users = await Session.Client.GetAsync<List<UserDto>>(url, ct).ConfigureAwait(false) ?? new List<UserDto>();
            return users.Any(u => string.Equals(u.Name, AccountId, StringComparison.OrdinalIgnoreCase));
        }
    }
}

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
    internal sealed class PermissionSearchReader : IPermissionReader
    {
        private readonly JiraSession _session;
        private readonly string _userName;
        private readonly IReadOnlyList<string> _required;

        public PermissionSearchReader(JiraSession session, string userName, IReadOnlyList<string> required)
        {
            _session = session;
            _userName = userName;
            _required = required;
        }

        public string Source => $"GET user/permission/search for user {_userName}";

        public async Task<HashSet<string>> ReadAsync(JiraProject project, CancellationToken ct)
        {
            if (await HoldsAllAsync(project, _required, ct).ConfigureAwait(false))
                return new HashSet<string>(_required, StringComparer.Ordinal);
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var permission in _required)
                if (await HoldsAllAsync(project, new[] { permission }, ct).ConfigureAwait(false)) held.Add(permission);
            return held;
        }

        private async Task<bool> HoldsAllAsync(JiraProject project, IReadOnlyList<string> permissions, CancellationToken ct)
        {
            var url = _session.Client.Resolve("user/permission/search", new Dictionary<string, object>
            {
                ["username"] = _userName,
                ["projectKey"] = project.Key,
                ["permissions"] = string.Join(",", permissions),
                ["maxResults"] = 1000,
            });
            var users = await _session.Client.GetAsync<List<UserDto>>(url, ct).ConfigureAwait(false) ?? new List<UserDto>();
            return users.Any(u => string.Equals(u.Name, _userName, StringComparison.OrdinalIgnoreCase));
        }
    }
}

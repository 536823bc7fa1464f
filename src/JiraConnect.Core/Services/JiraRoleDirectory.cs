using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Services
{
    /// <summary>
    /// Resolves role names to ids for one session and remembers them: Jira shares its project roles between all
    /// projects, so one successful lookup serves every project.
    /// </summary>
    public sealed class JiraRoleDirectory
    {
        private readonly JiraSession _session;
        private readonly ConcurrentDictionary<string, (long Id, string Name)> _known = new ConcurrentDictionary<string, (long, string)>(StringComparer.OrdinalIgnoreCase);
        private readonly SemaphoreSlim _lookup = new SemaphoreSlim(1, 1);

        /// <summary>The default project roles of a Jira site, offered for completion before the session has read its own.</summary>
        public static readonly IReadOnlyList<string> WellKnownRoleNames = new[] { "Administrators", "Developers", "Users" };

        /// <summary>The project role names the session has read (from any project; Jira shares them), else the well-known ones.</summary>
        public static IReadOnlyList<string> GetRoleNamesForCompletion(JiraSession session) =>
            (session == null ? null : SessionCompletionCache.Of(session).RoleNames) is { Count: > 0 } known ? known : WellKnownRoleNames;

        /// <summary>Reads the project roles of a project (GET project/{key}/role) and remembers their names in the session.</summary>
        public static async Task<IReadOnlyList<string>> ReadRoleNamesAsync(JiraSession session, string projectKey, CancellationToken ct) =>
            (await ReadRolesAsync(session, projectKey, ct).ConfigureAwait(false)).Names;

        /// <summary>
        /// The project's roles (name → role URL) and their names sorted; the names are remembered in the session for
        /// completion when there are any. A refusal to read them becomes the role cmdlets' access-denied error.
        /// </summary>
        private static async Task<(Dictionary<string, string> Map, string[] Names)> ReadRolesAsync(JiraSession session, string projectKey, CancellationToken ct)
        {
            var url = session.Client.Resolve("project/" + Uri.EscapeDataString(projectKey) + "/role");
            Dictionary<string, string> map;
            try
            {
                map = await session.Client.GetAsync<Dictionary<string, string>>(url, ct).ConfigureAwait(false) ?? new Dictionary<string, string>();
            }
            catch (JiraApiException e) when (JiraRoleService.IsRoleAccessRefusal(e))
            {
                throw JiraRoleService.AccessDenied(projectKey, $"read the project roles of {projectKey}", e);
            }
            var names = map.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToArray();
            if (names.Length > 0) SessionCompletionCache.Of(session).RoleNames = names;
            return (map, names);
        }

        public JiraRoleDirectory(JiraSession session)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
        }

        /// <summary>The role in this project; throws RoleNotFound when the site has no role of that name.</summary>
        public async Task<JiraProjectRoleRef> ResolveAsync(string projectKey, string roleName, CancellationToken ct)
        {
            if (_known.TryGetValue(roleName, out var role)) return new JiraProjectRoleRef(projectKey, role.Id, role.Name);
            // Parallel audit workers all miss at first: one asks, the others wait and find its answer.
            await _lookup.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (!_known.TryGetValue(roleName, out role)) role = await LookUpAsync(projectKey, roleName, ct).ConfigureAwait(false);
            }
            finally
            {
                _lookup.Release();
            }
            return new JiraProjectRoleRef(projectKey, role.Id, role.Name);
        }

        private async Task<(long Id, string Name)> LookUpAsync(string projectKey, string roleName, CancellationToken ct)
        {
            var (map, names) = await ReadRolesAsync(_session, projectKey, ct).ConfigureAwait(false);
            foreach (var entry in map)
            {
                if (TryParseRoleId(entry.Value, out long id)) _known.TryAdd(entry.Key, (id, entry.Key));
            }
            if (!_known.TryGetValue(roleName, out var role))
            {
                throw new JiraException(JiraErrorId.RoleNotFound, JiraErrorKind.InvalidArgument,
                    $"The site has no project role named '{roleName}'. Its project roles are: {string.Join(", ", names)}.", roleName,
                    "Pass one of these names to -Role (Administrators is the role the connector guide recommends).");
            }
            return role;
        }

        private static bool TryParseRoleId(string url, out long id)
        {
            id = 0;
            if (string.IsNullOrEmpty(url)) return false;
            string last = url.TrimEnd('/');
            last = last.Substring(last.LastIndexOf('/') + 1);
            return long.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
        }
    }
}

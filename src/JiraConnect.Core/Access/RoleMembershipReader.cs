using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;

namespace JiraConnect.Access
{
    /// <summary>Whether an account holds a project role, and through which groups.</summary>
    internal sealed class RoleFinding
    {
        public static readonly RoleFinding NotChecked = new RoleFinding(JiraRoleMembership.NotChecked, Array.Empty<string>(), null);

        public RoleFinding(JiraRoleMembership membership, string[] groups, string problem)
        {
            Membership = membership;
            Groups = groups;
            Problem = problem;
        }

        public JiraRoleMembership Membership { get; }
        public string[] Groups { get; }
        /// <summary>Why the membership is Unknown; null otherwise.</summary>
        public string Problem { get; }
    }

    /// <summary>Reads a role's actors in a project and matches them against the account and its groups.</summary>
    internal sealed class RoleMembershipReader
    {
        private readonly JiraSession _session;
        private readonly string _role;
        private readonly JiraRoleDirectory _roles;

        public RoleMembershipReader(JiraSession session, string role)
        {
            _session = session;
            _role = role;
            _roles = new JiraRoleDirectory(session);
        }

        /// <summary>What answered, for <see cref="JiraProjectAccess.DeterminedBy"/>.</summary>
        public string Source(JiraProject project) =>
            $"{_role} role: actors of GET project/{project.Key}/role/<id> against the account's groups";

        public async Task<RoleFinding> ReadAsync(AuditIdentity identity, JiraProject project, CancellationToken ct)
        {
            RoleActors actors;
            try
            {
                var role = await _roles.ResolveAsync(project.Key, _role, ct).ConfigureAwait(false);
                actors = await JiraRoleService.GetActorsAsync(_session, role, ct).ConfigureAwait(false);
            }
            catch (JiraPermissionException e) when (e.ErrorId == JiraErrorId.RoleAccessDenied)
            {
                return new RoleFinding(JiraRoleMembership.Unknown, Array.Empty<string>(),
                    $"the session's account may not read the role's members in {project.Key} (that needs Administer Projects there or Administer Jira)");
            }

            bool direct = actors.Users.Contains(identity.Id, StringComparer.OrdinalIgnoreCase);
            var through = actors.Groups
                .Where(g => identity.Groups.Contains(g.Name ?? string.Empty) || (g.Id != null && identity.Groups.Contains(g.Id)))
                .Select(g => g.Name ?? g.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (direct) return new RoleFinding(JiraRoleMembership.Direct, through, null);
            if (through.Length > 0) return new RoleFinding(JiraRoleMembership.Group, through, null);
            if (!identity.GroupsKnown && actors.Groups.Count > 0)
                return new RoleFinding(JiraRoleMembership.Unknown, Array.Empty<string>(), $"the role has group members but the account's groups could not be read ({identity.GroupsProblem})");
            return new RoleFinding(JiraRoleMembership.None, Array.Empty<string>(), null);
        }
    }
}

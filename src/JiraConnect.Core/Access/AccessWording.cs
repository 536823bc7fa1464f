using System.Collections.Generic;
using System.Linq;

namespace JiraConnect.Access
{
    /// <summary>The report of one audited project: what is missing, the sentence that says so, and what to do.</summary>
    internal sealed class AccessWording
    {
        /// <summary>How a missing role is listed in <see cref="JiraProjectAccess.Missing"/>.</summary>
        public const string RolePrefix = "Role:";

        private readonly string[] _required;
        private readonly string _role;

        public AccessWording(string[] required, string role)
        {
            _required = required;
            _role = role;
        }

        public JiraProjectAccess Report(JiraSession session, AuditIdentity identity, JiraProject project, HashSet<string> held, RoleFinding role, bool requireRole, string determinedBy)
        {
            var missing = _required.Where(p => !held.Contains(p)).ToList();
            var granted = _required.Where(held.Contains).ToArray();
            bool roleOk = role.Membership == JiraRoleMembership.Direct || role.Membership == JiraRoleMembership.Group || role.Membership == JiraRoleMembership.NotChecked;
            var missingAll = new List<string>(missing);
            // The role is listed as missing, and counts toward Ready, only when it is required.
            if (requireRole && role.Membership == JiraRoleMembership.None) missingAll.Add(RolePrefix + _role);
            bool ready = missing.Count == 0 && (roleOk || !requireRole);

            return new JiraProjectAccess
            {
                ProjectKey = project.Key,
                ProjectId = project.Id,
                ProjectName = project.Name,
                AccountId = identity.Id,
                AccountName = identity.DisplayName,
                Ready = ready,
                Missing = missingAll.ToArray(),
                Granted = granted,
                Required = _required,
                Role = _role,
                RoleMembership = role.Membership.ToString(),
                RoleGroups = role.Groups,
                DeterminedBy = determinedBy,
                Detail = Describe(missing, role),
                Remedy = string.Empty,
                RemedyPlan = ready ? null : Remedy(identity, project, missing, role),
                Session = session.Name,
            };
        }

        /// <summary>"The account lacks EDIT_ISSUES and DELETE_ISSUES and is not in the Administrators role."</summary>
        private string Describe(List<string> missing, RoleFinding role)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
                parts.Add(missing.Count == _required.Length && missing.Count > 1
                    ? "lacks every required permission (" + string.Join(", ", missing) + ")"
                    : "lacks " + JoinAnd(missing));
            else if (_required.Length > 0)
                parts.Add($"has the {_required.Length} required permission{(_required.Length == 1 ? string.Empty : "s")}");
            switch (role.Membership)
            {
                case JiraRoleMembership.Direct:
                    parts.Add($"holds the {_role} role directly" + (role.Groups.Length > 0 ? " (and through " + JoinAnd(role.Groups) + ")" : string.Empty));
                    break;
                case JiraRoleMembership.Group:
                    parts.Add($"holds the {_role} role through group{(role.Groups.Length == 1 ? string.Empty : "s")} " + JoinAnd(role.Groups));
                    break;
                case JiraRoleMembership.None:
                    parts.Add($"is not in the {_role} role");
                    break;
                case JiraRoleMembership.Unknown:
                    parts.Add($"may or may not hold the {_role} role ({role.Problem})");
                    break;
            }
            string joiner = missing.Count == 0 && role.Membership == JiraRoleMembership.None ? " but " : " and ";
            return "The account " + string.Join(joiner, parts) + ".";
        }

        private RemedyPlan Remedy(AuditIdentity identity, JiraProject project, List<string> missing, RoleFinding role)
        {
            var add = new CommandLine(CommandStage.Run("Add-JiraProjectRoleActor")
                .With("ProjectKey", project.Key).With("Role", _role).With("AccountId", identity.IsSelf ? null : identity.Id));
            switch (role.Membership)
            {
                case JiraRoleMembership.Direct:
                case JiraRoleMembership.Group:
                    string them = missing.Count == 1 ? "it" : "them";
                    return new RemedyPlan($"The {_role} role does not grant {JoinAnd(missing)} in {project.Key}: grant {them} to the role in the project's permission scheme (Project settings → Permissions), or add the account to a role that has {them}.");
                case JiraRoleMembership.Unknown:
                    return new RemedyPlan($"Check Project settings → People in {project.Key}, or run Test-JiraProjectAccess with a Jira administrator's session; to add the account: ", add);
                default:
                    return new RemedyPlan("Run: ", add);
            }
        }

        /// <summary>"A, B and C".</summary>
        public static string JoinAnd(IReadOnlyList<string> items) =>
            items.Count <= 1 ? string.Join(string.Empty, items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
    }
}

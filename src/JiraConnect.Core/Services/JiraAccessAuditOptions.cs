using System.Collections.Generic;

namespace JiraConnect.Services
{
    /// <summary>What to audit.</summary>
    public sealed class JiraAccessAuditOptions
    {
        /// <summary>What an integration needs in a project: browse, create, edit, transition, assign, comment, delete.</summary>
        public static IReadOnlyList<string> DefaultPermissions { get; } = new[]
        {
            "BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "TRANSITION_ISSUES", "ASSIGN_ISSUES", "ADD_COMMENTS", "DELETE_ISSUES",
        };

        public const string DefaultRole = "Administrators";

        public IReadOnlyList<string> Permissions { get; set; } = DefaultPermissions;
        public string Role { get; set; } = DefaultRole;
        /// <summary>
        /// Whether the role is looked up at all. When it is, it is read for the projects that are not ready (to say whether
        /// the account is in the role and build the remedy), and for every project when <see cref="RequireRole"/> is set.
        /// </summary>
        public bool CheckRole { get; set; } = true;
        /// <summary>The role counts toward Ready: it is read for every project (as -RequireRole asks).</summary>
        public bool RequireRole { get; set; }
        /// <summary>
        /// Asks Jira project by project (mypermissions, or one permissions/check per project) even where one bulk request
        /// answers for up to 1,000 projects: for comparison and troubleshooting.
        /// </summary>
        internal bool PerProject { get; set; }
        /// <summary>Another account to audit (accountId on Cloud, user name on Data Center); null for the session's own.</summary>
        public string AccountId { get; set; }
        /// <summary>Projects audited at the same time.</summary>
        public int ThrottleLimit { get; set; } = 8;
    }

    /// <summary>One audited project, or the failure for one project or key.</summary>
    public sealed class JiraAccessAuditOutcome
    {
        internal JiraAccessAuditOutcome(JiraProjectAccess result, JiraException error, string target)
        {
            Result = result;
            Error = error;
            Target = target;
        }

        public JiraProjectAccess Result { get; }
        public JiraException Error { get; }
        /// <summary>The project key the outcome is about.</summary>
        public string Target { get; }
    }
}

using System;

namespace JiraConnect
{
    /// <summary>How an account holds a project role.</summary>
    public enum JiraRoleMembership
    {
        /// <summary>The role was not read: -SkipRoleCheck, or the role is not required and the permissions are held.</summary>
        NotChecked,
        /// <summary>The account is an actor of the role itself.</summary>
        Direct,
        /// <summary>The account is in the role only through one or more groups.</summary>
        Group,
        /// <summary>The account is not in the role.</summary>
        None,
        /// <summary>The role's actors or the account's groups could not be read.</summary>
        Unknown,
    }

    /// <summary>What one account may do in one project, measured against what an integration needs.</summary>
    public sealed class JiraProjectAccess
    {
        public string ProjectKey { get; set; }
        public string ProjectId { get; set; }
        public string ProjectName { get; set; }
        /// <summary>The account audited: its accountId on Cloud, its user name on Data Center.</summary>
        public string AccountId { get; set; }
        public string AccountName { get; set; }
        /// <summary>True when every required permission is held and, when the role is required (-RequireRole), the role is held.</summary>
        public bool Ready { get; set; }
        /// <summary>The required permission keys the account lacks, then "Role:&lt;name&gt;" when the role is required and it is not in the role.</summary>
        public JiraTextList Missing { get; set; } = JiraTextList.Empty;
        /// <summary>The required permission keys the account holds.</summary>
        public JiraTextList Granted { get; set; } = JiraTextList.Empty;
        /// <summary>The required permission keys checked.</summary>
        public JiraTextList Required { get; set; } = JiraTextList.Empty;
        /// <summary>The project role asked for, such as Administrators.</summary>
        public string Role { get; set; }
        /// <summary>NotChecked, Direct, Group, None or Unknown (the names of <see cref="JiraRoleMembership"/>).</summary>
        public string RoleMembership { get; set; }
        /// <summary>The groups through which the account holds the role.</summary>
        public JiraTextList RoleGroups { get; set; } = JiraTextList.Empty;
        /// <summary>Which Jira resources answered the question, for the record.</summary>
        public string DeterminedBy { get; set; }
        /// <summary>One sentence on what the account has and lacks.</summary>
        public string Detail { get; set; }
        /// <summary>What to do when the project is not ready; empty when it is.</summary>
        public string Remedy { get; set; }
        /// <summary>The remedy as data, which the cmdlet layer writes into <see cref="Remedy"/>; null when the project is ready.</summary>
        internal RemedyPlan RemedyPlan { get; set; }
        /// <summary>Name of the session the audit ran through.</summary>
        public string Session { get; set; }

        public override string ToString() => DisplayText.Escape(ProjectKey + ": " + (Ready ? "ready" : Detail));
    }
}

using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Access
{
    /// <summary>
    /// Reads which of the required permissions an account holds in a project. One reader is chosen per audit
    /// (<see cref="PermissionReaders.Choose"/>) for the deployment and the account; workers call it concurrently.
    /// </summary>
    internal interface IPermissionReader
    {
        /// <summary>The Jira resource that answers, for <see cref="JiraProjectAccess.DeterminedBy"/>.</summary>
        string Source { get; }

        /// <summary>The required permission keys the account holds in the project.</summary>
        Task<HashSet<string>> ReadAsync(JiraProject project, CancellationToken ct);
    }

    /// <summary>A reader that answers for many projects in one request (Cloud's POST permissions/check).</summary>
    internal interface IBulkPermissionReader : IPermissionReader
    {
        /// <summary>The required permission keys the account holds, by project id, for each of <paramref name="projects"/>.</summary>
        Task<Dictionary<string, HashSet<string>>> ReadManyAsync(IReadOnlyList<JiraProject> projects, CancellationToken ct);
    }

    /// <summary>What every permission reader works with: the session, the account (null for the session's own) and the permissions asked about.</summary>
    internal abstract class PermissionReader : IPermissionReader
    {
        protected PermissionReader(JiraSession session, string accountId, IReadOnlyList<string> required)
        {
            Session = session;
            AccountId = accountId;
            Required = required;
        }

        protected JiraSession Session { get; }
        protected string AccountId { get; }
        protected IReadOnlyList<string> Required { get; }

        public abstract string Source { get; }

        public abstract Task<HashSet<string>> ReadAsync(JiraProject project, CancellationToken ct);
    }

    /// <summary>Picks the permission reader for a session and an account.</summary>
    internal static class PermissionReaders
    {
        /// <summary>
        /// Cloud: POST permissions/check, up to 1,000 projects a request (for another account it needs Administer Jira).
        /// Data Center, or Cloud asked to go project by project: the session's own account GET mypermissions; another
        /// account POST permissions/check for one project on Cloud, GET user/permission/search on Data Center.
        /// </summary>
        public static IPermissionReader Choose(JiraSession session, AuditIdentity identity, IReadOnlyList<string> required, bool perProject)
        {
            if (session.IsCloud && !perProject) return new PermissionCheckReader(session, identity.IsSelf ? null : identity.Id, required);
            if (identity.IsSelf) return new MyPermissionsReader(session, required);
            return session.IsCloud
                ? (IPermissionReader)new PermissionCheckReader(session, identity.Id, required)
                : new PermissionSearchReader(session, identity.Id, required);
        }
    }
}

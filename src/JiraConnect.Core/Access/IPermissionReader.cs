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
        /// The session's own account: GET mypermissions. Another account: POST permissions/check on Cloud,
        /// GET user/permission/search on Data Center.
        /// </summary>
        public static IPermissionReader Choose(JiraSession session, AuditIdentity identity, IReadOnlyList<string> required)
        {
            if (identity.IsSelf) return new MyPermissionsReader(session, required);
            return session.IsCloud
                ? (IPermissionReader)new PermissionCheckReader(session, identity.Id, required)
                : new PermissionSearchReader(session, identity.Id, required);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;

namespace JiraConnect.Access
{
    /// <summary>
    /// Audits one project: its permissions (read here unless a bulk request read them), the role only where it answers
    /// something (the project is not ready, or the role is required), and the report. The account and the permission
    /// reader are loaded once, by the first project that needs them. Workers call it concurrently.
    /// </summary>
    internal sealed class ProjectAuditor
    {
        private readonly JiraSession _session;
        private readonly JiraAccessAuditOptions _options;
        private readonly string[] _required;
        private readonly RoleMembershipReader _roles;
        private readonly AccessWording _wording;
        private readonly Lazy<Task<(AuditIdentity Identity, IPermissionReader Permissions)>> _subject;

        /// <summary>Checks the options; throws ArgumentException when they ask for nothing or for a role without a name.</summary>
        public ProjectAuditor(JiraSession session, JiraAccessAuditOptions options, CancellationToken ct)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _options = options ?? new JiraAccessAuditOptions();
            _required = (_options.Permissions ?? JiraAccessAuditOptions.DefaultPermissions)
                .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim().ToUpperInvariant()).Distinct().ToArray();
            if (_required.Length == 0 && !_options.CheckRole)
                throw new ArgumentException("Nothing to check: give at least one permission or check the role.");
            if (_options.CheckRole && string.IsNullOrWhiteSpace(_options.Role))
                throw new ArgumentException("The role name must not be empty.");
            if (_options.RequireRole && !_options.CheckRole)
                throw new ArgumentException("A required role must be checked.");
            Bulk = session.IsCloud && !_options.PerProject && _required.Length > 0;
            _roles = new RoleMembershipReader(session, _options.Role);
            _wording = new AccessWording(_required, _options.Role);
            _subject = new Lazy<Task<(AuditIdentity, IPermissionReader)>>(() => LoadSubjectAsync(ct), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>Cloud's bulk check reads the permissions (see <see cref="PermissionReaders.Choose"/>); the workers then only finish each project.</summary>
        public bool Bulk { get; }

        /// <summary>The bulk reader (only when <see cref="Bulk"/>).</summary>
        public async Task<IBulkPermissionReader> BulkReaderAsync() => (IBulkPermissionReader)(await _subject.Value.ConfigureAwait(false)).Permissions;

        /// <param name="held">The permissions a bulk request read; null to read them for this project.</param>
        public async Task<JiraProjectAccess> AuditAsync(JiraProject project, HashSet<string> held, CancellationToken ct)
        {
            var (identity, permissions) = await _subject.Value.ConfigureAwait(false);
            if (held == null) held = _required.Length == 0 ? new HashSet<string>() : await permissions.ReadAsync(project, ct).ConfigureAwait(false);
            bool permitted = _required.All(held.Contains);
            // The role answers something only where it counts, or where the remedy needs it.
            bool readRole = _options.CheckRole && (_options.RequireRole || !permitted);
            var role = readRole ? await _roles.ReadAsync(identity, project, ct).ConfigureAwait(false) : RoleFinding.NotChecked;
            string determinedBy = permissions.Source + "; " + (readRole ? _roles.Source(project)
                : _options.CheckRole ? "role not read (not required, and the permissions are held)" : "role not checked");
            return _wording.Report(_session, identity, project, held, role, _options.RequireRole, determinedBy);
        }

        /// <summary>The account, and the permission reader for it and the deployment: chosen once for the whole audit.</summary>
        private async Task<(AuditIdentity, IPermissionReader)> LoadSubjectAsync(CancellationToken ct)
        {
            var identity = await AuditIdentity.LoadAsync(_session, _options.AccountId, _options.CheckRole, ct).ConfigureAwait(false);
            return (identity, PermissionReaders.Choose(_session, identity, _required, _options.PerProject));
        }
    }
}

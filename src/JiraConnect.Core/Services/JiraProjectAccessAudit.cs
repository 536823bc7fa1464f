using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

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
        public bool CheckRole { get; set; } = true;
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

    /// <summary>
    /// Audits many projects at once: at most <see cref="JiraAccessAuditOptions.ThrottleLimit"/> projects are checked in
    /// parallel, results come out as they complete, and a 429 pauses every worker together (the session's shared
    /// rate-limit gate). Projects come from keys (resolved 50 at a time) or from the full listing.
    /// Create it inside the caller's log scope: the workers inherit it.
    /// </summary>
    public sealed class JiraProjectAccessAudit : IDisposable
    {
        private const string RolePrefix = "Role:";

        private readonly JiraSession _session;
        private readonly JiraAccessAuditOptions _options;
        private readonly string[] _required;
        private readonly CancellationTokenSource _stop;
        private readonly AsyncQueue<string> _keys = new AsyncQueue<string>();
        private readonly AsyncQueue<JiraProject> _projects = new AsyncQueue<JiraProject>();
        private readonly ConcurrentQueue<JiraAccessAuditOutcome> _outcomes = new ConcurrentQueue<JiraAccessAuditOutcome>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly JiraRoleDirectory _roles;
        private readonly Lazy<Task<AuditIdentity>> _identity;
        private readonly Lazy<Task<Dictionary<string, JiraProject>>> _allProjects;
        private volatile bool _listAll;
        private JiraException _fatal;
        private long _expected;
        private long _done;
        private int _disposed;

        private JiraProjectAccessAudit(JiraSession session, JiraAccessAuditOptions options, CancellationToken ct)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _options = options ?? new JiraAccessAuditOptions();
            _required = (_options.Permissions ?? JiraAccessAuditOptions.DefaultPermissions)
                .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim().ToUpperInvariant()).Distinct().ToArray();
            if (_required.Length == 0 && !_options.CheckRole)
                throw new ArgumentException("Nothing to check: give at least one permission or check the role.");
            if (_options.CheckRole && string.IsNullOrWhiteSpace(_options.Role))
                throw new ArgumentException("The role name must not be empty.");
            _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _roles = new JiraRoleDirectory(session);
            _identity = new Lazy<Task<AuditIdentity>>(() => LoadIdentityAsync(_stop.Token), LazyThreadSafetyMode.ExecutionAndPublication);
            _allProjects = new Lazy<Task<Dictionary<string, JiraProject>>>(() => ListAllAsync(_stop.Token), LazyThreadSafetyMode.ExecutionAndPublication);
            int workers = Math.Max(1, _options.ThrottleLimit);
            var tasks = new List<Task> { Task.Run(SourceAsync) };
            for (int i = 0; i < workers; i++) tasks.Add(Task.Run(WorkerAsync));
            Completion = FinishAsync(tasks);
        }

        /// <summary>Starts the workers; they wait for <see cref="AddKeys"/> or <see cref="AddAllProjects"/>.</summary>
        public static JiraProjectAccessAudit Start(JiraSession session, JiraAccessAuditOptions options, CancellationToken ct) =>
            new JiraProjectAccessAudit(session, options, ct);

        /// <summary>Set whenever outcomes are waiting to be taken.</summary>
        public AutoResetEvent OutcomeAvailable { get; } = new AutoResetEvent(false);

        /// <summary>Completes when every project was audited; faults with the failure that stopped the whole audit.</summary>
        public Task Completion { get; }

        /// <summary>Projects known so far (named and resolved, or listed); the listing's total once it is known.</summary>
        public long Expected => Interlocked.Read(ref _expected);

        public long Done => Interlocked.Read(ref _done);

        /// <summary>Queues project keys; duplicates are audited once.</summary>
        public void AddKeys(IEnumerable<string> keys)
        {
            foreach (var key in keys ?? Enumerable.Empty<string>())
            {
                string trimmed = key?.Trim();
                if (string.IsNullOrEmpty(trimmed)) continue;
                lock (_seen)
                {
                    if (!_seen.Add(trimmed)) continue;
                }
                _keys.Enqueue(trimmed);
            }
        }

        /// <summary>Audits every project the session's account can see, then completes.</summary>
        public void AddAllProjects()
        {
            _listAll = true;
            CompleteAdding();
        }

        public void CompleteAdding() => _keys.Complete();

        public bool TryTake(out JiraAccessAuditOutcome outcome) => _outcomes.TryDequeue(out outcome);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _stop.Cancel();
            _keys.Complete();
            _projects.Complete();
            Completion.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            OutcomeAvailable.Dispose();
        }

        private async Task FinishAsync(List<Task> tasks)
        {
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_fatal != null)
            {
            }
            finally
            {
                Signal();
            }
            if (_fatal != null) throw _fatal;
        }

        /// <summary>Feeds the workers: named keys in batches of up to 50, then (when asked) the whole listing.</summary>
        private async Task SourceAsync()
        {
            var ct = _stop.Token;
            try
            {
                while (true)
                {
                    var (ok, first) = await _keys.DequeueAsync(ct).ConfigureAwait(false);
                    if (!ok) break;
                    var batch = new List<string> { first };
                    while (batch.Count < JiraProjectService.MaxKeysPerRequest && _keys.TryDequeueNow(out var next)) batch.Add(next);
                    await ResolveAsync(batch, ct).ConfigureAwait(false);
                }
                if (_listAll) await ListIntoQueueAsync(ct).ConfigureAwait(false);
            }
            catch (JiraException e)
            {
                Stop(e);
            }
            finally
            {
                _projects.Complete();
            }
        }

        /// <summary>Looks keys up (Cloud: project search by keys; Data Center: the full list, read once) and queues the projects.</summary>
        private async Task ResolveAsync(List<string> keys, CancellationToken ct)
        {
            var found = new Dictionary<string, JiraProject>(StringComparer.OrdinalIgnoreCase);
            if (_session.IsCloud)
            {
                foreach (var p in await JiraProjectService.GetProjects(_session, new JiraProjectQuery { Keys = keys }, 0, long.MaxValue, ct).ReadAllAsync().ConfigureAwait(false))
                    found[p.Key] = p;
            }
            else
            {
                var all = await _allProjects.Value.ConfigureAwait(false);
                foreach (var key in keys)
                    if (all.TryGetValue(key, out var p)) found[key] = p;
            }

            foreach (var key in keys)
            {
                if (found.TryGetValue(key, out var project))
                {
                    Interlocked.Increment(ref _expected);
                    _projects.Enqueue(project);
                }
                else
                {
                    Emit(new JiraAccessAuditOutcome(null, new JiraException(JiraErrorId.ProjectNotFound, JiraErrorKind.NotFound,
                        $"No project with key '{key}' is visible to {_session.User} on {_session.SiteUrl}.", key,
                        "Check the key, and that the account can see the project: add it to the project's Administrators role (Project settings → People)."), key));
                }
            }
        }

        private async Task ListIntoQueueAsync(CancellationToken ct)
        {
            using (var reader = JiraProjectService.GetProjects(_session, null, 0, long.MaxValue, ct))
            {
                JiraPage<JiraProject> page;
                while ((page = await reader.NextAsync().ConfigureAwait(false)) != null)
                {
                    foreach (var project in page.Items)
                    {
                        lock (_seen)
                        {
                            if (!_seen.Add(project.Key)) continue;
                        }
                        Interlocked.Increment(ref _expected);
                        _projects.Enqueue(project);
                    }
                }
            }
        }

        private async Task<Dictionary<string, JiraProject>> ListAllAsync(CancellationToken ct)
        {
            var all = new Dictionary<string, JiraProject>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in await JiraProjectService.GetProjects(_session, null, 0, long.MaxValue, ct).ReadAllAsync().ConfigureAwait(false))
                all[p.Key] = p;
            return all;
        }

        private async Task WorkerAsync()
        {
            var ct = _stop.Token;
            try
            {
                while (true)
                {
                    var (ok, project) = await _projects.DequeueAsync(ct).ConfigureAwait(false);
                    if (!ok) return;
                    try
                    {
                        Emit(new JiraAccessAuditOutcome(await AuditAsync(project, ct).ConfigureAwait(false), null, project.Key));
                    }
                    catch (JiraException e) when (!IsFatal(e))
                    {
                        Emit(new JiraAccessAuditOutcome(null, e, project.Key));
                    }
                    finally
                    {
                        Interlocked.Increment(ref _done);
                    }
                }
            }
            catch (JiraException e)
            {
                Stop(e);
            }
        }

        /// <summary>Failures that would repeat for every project stop the audit instead of being reported a thousand times.</summary>
        private static bool IsFatal(JiraException e) =>
            e.Kind == JiraErrorKind.Authentication || e.ErrorId == JiraErrorId.RoleNotFound || e.ErrorId == JiraErrorId.AccountNotFound
            || e.ErrorId == JiraErrorId.BadRequest || e.Kind == JiraErrorKind.Connection;

        private void Stop(JiraException e)
        {
            if (Interlocked.CompareExchange(ref _fatal, e, null) == null) _stop.Cancel();
        }

        private void Emit(JiraAccessAuditOutcome outcome)
        {
            _outcomes.Enqueue(outcome);
            Signal();
        }

        private void Signal()
        {
            try { OutcomeAvailable.Set(); } catch (ObjectDisposedException) { }
        }

        private async Task<JiraProjectAccess> AuditAsync(JiraProject project, CancellationToken ct)
        {
            var identity = await _identity.Value.ConfigureAwait(false);
            var held = await GetHeldPermissionsAsync(identity, project, ct).ConfigureAwait(false);
            var membership = _options.CheckRole
                ? await GetRoleMembershipAsync(identity, project, ct).ConfigureAwait(false)
                : new RoleFinding(JiraRoleMembership.NotChecked, Array.Empty<string>(), null);
            return Assess(identity, project, held, membership);
        }

        private JiraProjectAccess Assess(AuditIdentity identity, JiraProject project, HashSet<string> held, RoleFinding role)
        {
            var missing = _required.Where(p => !held.Contains(p)).ToList();
            var granted = _required.Where(held.Contains).ToArray();
            bool roleOk = role.Membership == JiraRoleMembership.Direct || role.Membership == JiraRoleMembership.Group || role.Membership == JiraRoleMembership.NotChecked;
            var missingAll = new List<string>(missing);
            if (role.Membership == JiraRoleMembership.None) missingAll.Add(RolePrefix + _options.Role);
            bool ready = missing.Count == 0 && roleOk;

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
                Role = _options.Role,
                RoleMembership = role.Membership.ToString(),
                RoleGroups = role.Groups,
                DeterminedBy = identity.PermissionSource + (_options.CheckRole ? "; " + RoleSource(project) : "; role not checked"),
                Detail = Describe(missing, role),
                Remedy = ready ? string.Empty : Remedy(identity, project, missing, role),
                Session = _session.Name,
            };
        }

        private string RoleSource(JiraProject project) =>
            $"{_options.Role} role: actors of GET project/{project.Key}/role/<id> against the account's groups";

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
                    parts.Add($"holds the {_options.Role} role directly" + (role.Groups.Length > 0 ? " (and through " + JoinAnd(role.Groups) + ")" : string.Empty));
                    break;
                case JiraRoleMembership.Group:
                    parts.Add($"holds the {_options.Role} role through group{(role.Groups.Length == 1 ? string.Empty : "s")} " + JoinAnd(role.Groups));
                    break;
                case JiraRoleMembership.None:
                    parts.Add($"is not in the {_options.Role} role");
                    break;
                case JiraRoleMembership.Unknown:
                    parts.Add($"may or may not hold the {_options.Role} role ({role.Problem})");
                    break;
            }
            string joiner = missing.Count == 0 && role.Membership == JiraRoleMembership.None ? " but " : " and ";
            return "The account " + string.Join(joiner, parts) + ".";
        }

        private string Remedy(AuditIdentity identity, JiraProject project, List<string> missing, RoleFinding role)
        {
            string add = $"Add-JiraProjectRoleActor -ProjectKey {project.Key} -Role {Quote(_options.Role)}" + (identity.IsSelf ? string.Empty : " -AccountId " + Quote(identity.Id));
            switch (role.Membership)
            {
                case JiraRoleMembership.Direct:
                case JiraRoleMembership.Group:
                    return $"The {_options.Role} role does not grant {JoinAnd(missing)} in {project.Key}: grant {(missing.Count == 1 ? "it" : "them")} to the role in the project's permission scheme (Project settings → Permissions), or add the account to a role that has {(missing.Count == 1 ? "it" : "them")}.";
                case JiraRoleMembership.Unknown:
                    return $"Check Project settings → People in {project.Key}, or run Test-JiraProjectAccess with a Jira administrator's session; to add the account: {add}";
                default:
                    return "Run: " + add;
            }
        }

        private static string Quote(string value) => value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;

        private static string JoinAnd(IReadOnlyList<string> items) =>
            items.Count <= 1 ? string.Join(string.Empty, items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];

        // ---- permissions ----

        private async Task<HashSet<string>> GetHeldPermissionsAsync(AuditIdentity identity, JiraProject project, CancellationToken ct)
        {
            if (_required.Length == 0) return new HashSet<string>();
            if (identity.IsSelf) return await MyPermissionsAsync(project, ct).ConfigureAwait(false);
            return _session.IsCloud
                ? await BulkCheckAsync(identity, project, ct).ConfigureAwait(false)
                : await PermissionSearchAsync(identity, project, ct).ConfigureAwait(false);
        }

        /// <summary>GET mypermissions: Cloud requires the permissions filter; Data Center returns every permission without it.</summary>
        private async Task<HashSet<string>> MyPermissionsAsync(JiraProject project, CancellationToken ct)
        {
            var query = new Dictionary<string, object> { ["projectKey"] = project.Key };
            if (_session.IsCloud) query["permissions"] = string.Join(",", _required);
            PermissionsDto dto;
            try
            {
                dto = await _session.Client.GetAsync<PermissionsDto>(_session.Client.Resolve("mypermissions", query), ct).ConfigureAwait(false);
            }
            catch (JiraNotFoundException e)
            {
                throw new JiraApiException(JiraErrorId.ProjectNotFound, JiraErrorKind.NotFound, e.StatusCode,
                    $"Jira reports no project '{project.Key}' to {_session.User}: it was deleted, or the account can no longer see it." + JiraErrorFactory.Suffix(e),
                    project.Key, e.ErrorMessages, e.Errors, "Check the key, and add the account to the project's Administrators role (Project settings → People).");
            }
            var permissions = dto?.Permissions ?? new Dictionary<string, PermissionDto>();
            // Data Center answers with every permission it knows: a key missing from the answer is not a key of that site.
            var unknown = _required.Where(p => !permissions.ContainsKey(p)).ToList();
            if (!_session.IsCloud && unknown.Count > 0)
            {
                throw new JiraApiException(JiraErrorId.BadRequest, JiraErrorKind.InvalidArgument, HttpStatusCode.BadRequest,
                    $"The site knows no permission {JoinAnd(unknown)}.", string.Join(",", unknown), null, null,
                    "Pass permission keys such as BROWSE_PROJECTS or EDIT_ISSUES to -Permission (Invoke-JiraRestMethod permissions lists them).");
            }
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in permissions)
                if (entry.Value?.HavePermission == true) held.Add(entry.Key);
            return held;
        }

        /// <summary>Cloud, another account: POST permissions/check (needs Administer Jira); a read, so it is retried after 429.</summary>
        private async Task<HashSet<string>> BulkCheckAsync(AuditIdentity identity, JiraProject project, CancellationToken ct)
        {
            if (!long.TryParse(project.Id, NumberStyles.None, CultureInfo.InvariantCulture, out long projectId))
                throw new JiraProtocolException(JiraErrorId.InvalidJsonResponse, $"Project {project.Key} has no numeric id ('{project.Id}').", project.Key, "Report this answer of the project search.");
            string body = JsonTree.Serialize(new Dictionary<string, object>
            {
                ["accountId"] = identity.Id,
                ["projectPermissions"] = new[] { new Dictionary<string, object> { ["permissions"] = _required, ["projects"] = new[] { projectId } } },
            });
            JiraResponse response;
            try
            {
                response = await _session.Client.SendAsync(HttpMethod.Post, _session.Client.Resolve("permissions/check"), body, retryable: true, ct).ConfigureAwait(false);
            }
            catch (JiraPermissionException e)
            {
                throw new JiraPermissionException(JiraErrorId.PermissionDenied, e.StatusCode,
                    "Jira refused to check another account's permissions: that needs the Administer Jira global permission." + JiraErrorFactory.Suffix(e),
                    identity.Id, e.ErrorMessages, e.Errors,
                    "Run the audit with a Jira administrator's session, or connect as the account itself and omit -AccountId.");
            }
            var grants = JiraClient.ReadJson<BulkPermissionGrantsDto>(response);
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var grant in grants?.ProjectPermissions ?? new List<BulkProjectPermissionGrantsDto>())
                if (grant?.Projects?.Contains(projectId) == true) held.Add(grant.Permission);
            return held;
        }

        /// <summary>
        /// Data Center, another user: user/permission/search returns the user when it holds every permission asked for;
        /// when it does not, each permission is asked for on its own.
        /// </summary>
        private async Task<HashSet<string>> PermissionSearchAsync(AuditIdentity identity, JiraProject project, CancellationToken ct)
        {
            if (await HoldsAllAsync(identity, project, _required, ct).ConfigureAwait(false))
                return new HashSet<string>(_required, StringComparer.Ordinal);
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var permission in _required)
                if (await HoldsAllAsync(identity, project, new[] { permission }, ct).ConfigureAwait(false)) held.Add(permission);
            return held;
        }

        private async Task<bool> HoldsAllAsync(AuditIdentity identity, JiraProject project, IReadOnlyList<string> permissions, CancellationToken ct)
        {
            var url = _session.Client.Resolve("user/permission/search", new Dictionary<string, object>
            {
                ["username"] = identity.Id,
                ["projectKey"] = project.Key,
                ["permissions"] = string.Join(",", permissions),
                ["maxResults"] = 1000,
            });
            var users = await _session.Client.GetAsync<List<UserDto>>(url, ct).ConfigureAwait(false) ?? new List<UserDto>();
            return users.Any(u => string.Equals(u.Name, identity.Id, StringComparison.OrdinalIgnoreCase));
        }

        // ---- role ----

        private sealed class RoleFinding
        {
            public RoleFinding(JiraRoleMembership membership, string[] groups, string problem)
            {
                Membership = membership;
                Groups = groups;
                Problem = problem;
            }

            public JiraRoleMembership Membership { get; }
            public string[] Groups { get; }
            public string Problem { get; }
        }

        private async Task<RoleFinding> GetRoleMembershipAsync(AuditIdentity identity, JiraProject project, CancellationToken ct)
        {
            RoleActors actors;
            try
            {
                var role = await _roles.ResolveAsync(project.Key, _options.Role, ct).ConfigureAwait(false);
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

        // ---- identity ----

        private sealed class AuditIdentity
        {
            public string Id { get; set; }
            public string DisplayName { get; set; }
            public bool IsSelf { get; set; }
            public HashSet<string> Groups { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            public bool GroupsKnown { get; set; }
            public string GroupsProblem { get; set; }
            public string PermissionSource { get; set; }
        }

        private async Task<AuditIdentity> LoadIdentityAsync(CancellationToken ct)
        {
            var identity = new AuditIdentity();
            bool self = string.IsNullOrWhiteSpace(_options.AccountId)
                || string.Equals(_options.AccountId.Trim(), _session.User?.Id, StringComparison.OrdinalIgnoreCase);
            identity.IsSelf = self;
            if (self)
            {
                identity.Id = _session.User?.Id;
                identity.DisplayName = _session.User?.DisplayName;
                identity.PermissionSource = _session.IsCloud
                    ? "GET mypermissions (the session's account)"
                    : "GET mypermissions without a filter (the session's account)";
                if (_options.CheckRole) await LoadGroupsAsync(identity, "myself", new Dictionary<string, object> { ["expand"] = "groups" }, ct).ConfigureAwait(false);
                return identity;
            }

            string id = _options.AccountId.Trim();
            identity.Id = id;
            identity.PermissionSource = _session.IsCloud
                ? $"POST permissions/check for account {id}"
                : $"GET user/permission/search for user {id}";
            var query = new Dictionary<string, object> { [_session.IsCloud ? "accountId" : "username"] = id, ["expand"] = "groups" };
            try
            {
                await LoadGroupsAsync(identity, "user", query, ct).ConfigureAwait(false);
            }
            catch (JiraNotFoundException e)
            {
                throw new JiraApiException(JiraErrorId.AccountNotFound, JiraErrorKind.NotFound, HttpStatusCode.NotFound,
                    $"Jira knows no {(_session.IsCloud ? "account with the accountId" : "user named")} '{id}'." + JiraErrorFactory.Suffix(e), id, e.ErrorMessages, e.Errors,
                    _session.IsCloud ? "Pass the accountId (as shown by Invoke-JiraRestMethod user/search?query=<email>), not the email address." : "Pass the user name, not the display name.");
            }
            return identity;
        }

        private async Task LoadGroupsAsync(AuditIdentity identity, string path, Dictionary<string, object> query, CancellationToken ct)
        {
            try
            {
                var user = await _session.Client.GetAsync<UserDto>(_session.Client.Resolve(path, query), ct).ConfigureAwait(false);
                if (user != null)
                {
                    identity.Id = identity.IsSelf ? identity.Id : (user.AccountId ?? user.Name ?? identity.Id);
                    identity.DisplayName = user.DisplayName ?? identity.DisplayName;
                    foreach (var group in user.Groups?.Items ?? new List<GroupNameDto>())
                    {
                        if (!string.IsNullOrEmpty(group?.Name)) identity.Groups.Add(group.Name);
                        if (!string.IsNullOrEmpty(group?.GroupId)) identity.Groups.Add(group.GroupId);
                    }
                }
                identity.GroupsKnown = true;
            }
            catch (JiraPermissionException e)
            {
                identity.GroupsProblem = $"GET {path} answered {(int)e.StatusCode}";
            }
        }
    }
}

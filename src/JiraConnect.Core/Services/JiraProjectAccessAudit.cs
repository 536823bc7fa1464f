using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Access;

namespace JiraConnect.Services
{
    /// <summary>
    /// Audits many projects at once. Projects come from keys (resolved 50 at a time) or from the full listing. On Cloud
    /// the permissions of up to 1,000 projects come from one bulk request (at most
    /// <see cref="JiraAccessAuditOptions.ThrottleLimit"/> of them in flight); elsewhere, or when asked to go project by
    /// project, each worker reads one project's permissions. The role is then read only where it answers something:
    /// for the projects that are not ready, and for every project when it is required. At most ThrottleLimit workers
    /// run in parallel, results come out as they complete, and a 429 pauses every worker together (the session's
    /// shared rate-limit gate). Create it inside the caller's log scope: the workers inherit it.
    /// </summary>
    public sealed class JiraProjectAccessAudit : IDisposable
    {
        private readonly JiraSession _session;
        private readonly JiraAccessAuditOptions _options;
        private readonly string[] _required;
        private readonly CancellationTokenSource _stop;
        private readonly AsyncQueue<string> _keys = new AsyncQueue<string>();
        private readonly AsyncQueue<JiraProject> _projects = new AsyncQueue<JiraProject>();
        /// <summary>Projects whose permissions a bulk request has read, waiting for the workers.</summary>
        private readonly AsyncQueue<(JiraProject Project, HashSet<string> Held)> _checked = new AsyncQueue<(JiraProject, HashSet<string>)>();
        private readonly ConcurrentQueue<JiraAccessAuditOutcome> _outcomes = new ConcurrentQueue<JiraAccessAuditOutcome>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly RoleMembershipReader _roles;
        private readonly AccessWording _wording;
        private readonly Lazy<Task<(AuditIdentity Identity, IPermissionReader Permissions)>> _subject;
        private readonly Lazy<Task<IReadOnlyList<JiraProject>>> _allProjects;
        private volatile bool _listAll;
        /// <summary>Cloud's bulk check reads the permissions (see <see cref="PermissionReaders.Choose"/>); the workers then only finish each project.</summary>
        private readonly bool _bulk;
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
            if (_options.RequireRole && !_options.CheckRole)
                throw new ArgumentException("A required role must be checked.");
            _bulk = session.IsCloud && !_options.PerProject && _required.Length > 0;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _roles = new RoleMembershipReader(session, _options.Role);
            _wording = new AccessWording(_required, _options.Role);
            _subject = new Lazy<Task<(AuditIdentity, IPermissionReader)>>(() => LoadSubjectAsync(_stop.Token), LazyThreadSafetyMode.ExecutionAndPublication);
            _allProjects = new Lazy<Task<IReadOnlyList<JiraProject>>>(ListAllAsync, LazyThreadSafetyMode.ExecutionAndPublication);
            int workers = Math.Max(1, _options.ThrottleLimit);
            var tasks = new List<Task> { Task.Run(SourceAsync), Task.Run(BatchAsync) };
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
            _checked.Complete();
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

        /// <summary>Looks keys up (Data Center: in the full list, read once) and queues the projects; reports the keys not found.</summary>
        private async Task ResolveAsync(List<string> keys, CancellationToken ct)
        {
            var (found, _) = await JiraProjectService.ResolveKeysAsync(_session, keys, null, () => _allProjects.Value, ct).ConfigureAwait(false);
            var byKey = found.ToDictionary(p => p.Key, StringComparer.OrdinalIgnoreCase);
            foreach (var key in keys)
            {
                if (byKey.TryGetValue(key, out var project))
                {
                    Interlocked.Increment(ref _expected);
                    _projects.Enqueue(project);
                }
                else
                {
                    Emit(new JiraAccessAuditOutcome(null, JiraProjectService.ProjectNotFound(_session, key), key));
                }
            }
        }

        private async Task ListIntoQueueAsync(CancellationToken ct)
        {
            if (!_session.IsCloud)
            {
                // Data Center lists everything in one answer: the one the named keys were looked up in, if they were.
                foreach (var project in await _allProjects.Value.ConfigureAwait(false)) Queue(project);
                return;
            }
            using (var reader = JiraProjectService.GetProjects(_session, null, 0, long.MaxValue, ct))
            {
                JiraPage<JiraProject> page;
                while ((page = await reader.NextAsync().ConfigureAwait(false)) != null)
                {
                    foreach (var project in page.Items) Queue(project);
                }
            }
        }

        /// <summary>Queues a listed project unless it was named (and queued) already.</summary>
        private void Queue(JiraProject project)
        {
            lock (_seen)
            {
                if (!_seen.Add(project.Key)) return;
            }
            Interlocked.Increment(ref _expected);
            _projects.Enqueue(project);
        }

        private async Task<IReadOnlyList<JiraProject>> ListAllAsync() =>
            await JiraProjectService.GetProjects(_session, null, 0, long.MaxValue, _stop.Token).ReadAllAsync().ConfigureAwait(false);

        /// <summary>
        /// With a bulk reader: takes the queued projects up to a batch (waiting for the listing to fill one), reads their
        /// permissions in one request (at most ThrottleLimit requests in flight) and hands them to the workers.
        /// Otherwise there is nothing to batch and the workers take the projects themselves.
        /// </summary>
        private async Task BatchAsync()
        {
            var ct = _stop.Token;
            var running = new List<Task>();
            try
            {
                if (!_bulk) return;
                using (var gate = new SemaphoreSlim(Math.Max(1, _options.ThrottleLimit)))
                {
                    while (true)
                    {
                        var (ok, first) = await _projects.DequeueAsync(ct).ConfigureAwait(false);
                        if (!ok) break;
                        var batch = new List<JiraProject> { first };
                        while (batch.Count < PermissionCheckReader.MaxProjects)
                        {
                            if (_projects.TryDequeueNow(out var next)) { batch.Add(next); continue; }
                            var (more, queued) = await _projects.DequeueAsync(ct).ConfigureAwait(false);
                            if (!more) break;
                            batch.Add(queued);
                        }
                        var (_, permissions) = await _subject.Value.ConfigureAwait(false);
                        await gate.WaitAsync(ct).ConfigureAwait(false);
                        running.Add(CheckBatchAsync((IBulkPermissionReader)permissions, batch, gate, ct));
                    }
                    await Task.WhenAll(running).ConfigureAwait(false);
                }
            }
            catch (JiraException e)
            {
                Stop(e);
            }
            finally
            {
                _checked.Complete();
            }
        }

        private async Task CheckBatchAsync(IBulkPermissionReader bulk, List<JiraProject> batch, SemaphoreSlim gate, CancellationToken ct)
        {
            try
            {
                var held = await bulk.ReadManyAsync(batch, ct).ConfigureAwait(false);
                foreach (var project in batch) _checked.Enqueue((project, held[project.Id]));
            }
            catch (JiraException e) when (!IsFatal(e))
            {
                foreach (var project in batch)
                {
                    Emit(new JiraAccessAuditOutcome(null, e, project.Key));
                    Interlocked.Increment(ref _done);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task WorkerAsync()
        {
            var ct = _stop.Token;
            try
            {
                while (true)
                {
                    JiraProject project;
                    HashSet<string> held = null;
                    if (_bulk)
                    {
                        var (ok, item) = await _checked.DequeueAsync(ct).ConfigureAwait(false);
                        if (!ok) return;
                        (project, held) = item;
                    }
                    else
                    {
                        var (ok, next) = await _projects.DequeueAsync(ct).ConfigureAwait(false);
                        if (!ok) return;
                        project = next;
                    }
                    try
                    {
                        Emit(new JiraAccessAuditOutcome(await AuditAsync(project, held, ct).ConfigureAwait(false), null, project.Key));
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

        /// <summary>The account, and the permission reader for it and the deployment: chosen once for the whole audit.</summary>
        private async Task<(AuditIdentity, IPermissionReader)> LoadSubjectAsync(CancellationToken ct)
        {
            var identity = await AuditIdentity.LoadAsync(_session, _options.AccountId, _options.CheckRole, ct).ConfigureAwait(false);
            return (identity, PermissionReaders.Choose(_session, identity, _required, _options.PerProject));
        }

        /// <param name="held">The permissions a bulk request read; null to read them for this project.</param>
        private async Task<JiraProjectAccess> AuditAsync(JiraProject project, HashSet<string> held, CancellationToken ct)
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
    }
}

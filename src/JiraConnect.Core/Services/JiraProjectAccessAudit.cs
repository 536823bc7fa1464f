using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Access;

namespace JiraConnect.Services
{
    /// <summary>
    /// Audits many projects at once. Projects come from keys (resolved 50 at a time) or from the full listing
    /// (<see cref="AuditProjectSource"/>). On Cloud the permissions of up to 1,000 projects come from one bulk request
    /// (<see cref="BulkPermissionPhase"/>, at most <see cref="JiraAccessAuditOptions.ThrottleLimit"/> of them in flight);
    /// elsewhere, or when asked to go project by project, each worker reads one project's permissions. The workers then
    /// finish each project (<see cref="ProjectAuditor"/>: the role only where it answers something). At most
    /// ThrottleLimit workers run in parallel, results come out as they complete (<see cref="AuditOutcomeSink"/>), a 429
    /// pauses every worker together (the session's shared rate-limit gate), and requests to an endpoint near Jira's
    /// burst limit are paced to it. Create it inside the caller's log scope: the workers inherit it.
    /// </summary>
    public sealed class JiraProjectAccessAudit : IDisposable
    {
        private readonly AuditOutcomeSink _sink;
        private readonly ProjectAuditor _auditor;
        private readonly AuditProjectSource _source;
        /// <summary>Null unless Cloud's bulk check reads the permissions.</summary>
        private readonly BulkPermissionPhase _bulk;
        private int _disposed;

        private JiraProjectAccessAudit(JiraSession session, JiraAccessAuditOptions options, CancellationToken ct)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            options = options ?? new JiraAccessAuditOptions();
            _sink = new AuditOutcomeSink(ct);
            _auditor = new ProjectAuditor(session, options, _sink.Token);
            _source = new AuditProjectSource(session, _sink);
            var tasks = new List<Task> { Task.Run(_source.RunAsync) };
            if (_auditor.Bulk)
            {
                _bulk = new BulkPermissionPhase(_source.Projects, _auditor.BulkReaderAsync, options.ThrottleLimit, _sink);
                tasks.Add(Task.Run(_bulk.RunAsync));
            }
            int workers = Math.Max(1, options.ThrottleLimit);
            for (int i = 0; i < workers; i++) tasks.Add(Task.Run(WorkerAsync));
            Completion = FinishAsync(tasks);
        }

        /// <summary>Starts the workers; they wait for <see cref="AddKeys"/> or <see cref="AddAllProjects"/>.</summary>
        public static JiraProjectAccessAudit Start(JiraSession session, JiraAccessAuditOptions options, CancellationToken ct) =>
            new JiraProjectAccessAudit(session, options, ct);

        /// <summary>Set whenever outcomes are waiting to be taken.</summary>
        public AutoResetEvent OutcomeAvailable => _sink.Available;

        /// <summary>Completes when every project was audited; faults with the failure that stopped the whole audit.</summary>
        public Task Completion { get; }

        /// <summary>Projects known so far (named and resolved, or listed); the listing's total once it is known.</summary>
        public long Expected => _sink.Expected;

        public long Done => _sink.Done;

        /// <summary>Queues project keys; duplicates are audited once.</summary>
        public void AddKeys(IEnumerable<string> keys) => _source.AddKeys(keys);

        /// <summary>Audits every project the session's account can see, then completes.</summary>
        public void AddAllProjects() => _source.AddAllProjects();

        public void CompleteAdding() => _source.CompleteAdding();

        public bool TryTake(out JiraAccessAuditOutcome outcome) => _sink.TryTake(out outcome);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _sink.Cancel();
            _source.Close();
            _bulk?.Checked.Complete();
            Completion.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            _sink.Available.Dispose();
        }

        private async Task FinishAsync(List<Task> tasks)
        {
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_sink.Fatal != null)
            {
            }
            finally
            {
                _sink.Signal();
            }
            if (_sink.Fatal != null) throw _sink.Fatal;
        }

        /// <summary>Takes the next project (with its permissions, when a bulk request read them) and reports it.</summary>
        private async Task WorkerAsync()
        {
            var ct = _sink.Token;
            try
            {
                while (true)
                {
                    JiraProject project;
                    HashSet<string> held = null;
                    if (_bulk != null)
                    {
                        var (ok, item) = await _bulk.Checked.DequeueAsync(ct).ConfigureAwait(false);
                        if (!ok) return;
                        (project, held) = item;
                    }
                    else
                    {
                        var (ok, next) = await _source.Projects.DequeueAsync(ct).ConfigureAwait(false);
                        if (!ok) return;
                        project = next;
                    }
                    JiraAccessAuditOutcome outcome;
                    try
                    {
                        outcome = new JiraAccessAuditOutcome(await _auditor.AuditAsync(project, held, ct).ConfigureAwait(false), null, project.Key);
                    }
                    catch (JiraException e) when (!AuditOutcomeSink.IsFatal(e))
                    {
                        outcome = new JiraAccessAuditOutcome(null, e, project.Key);
                    }
                    _sink.Finish(outcome);
                }
            }
            catch (JiraException e)
            {
                _sink.Stop(e);
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;

namespace JiraConnect.Access
{
    /// <summary>
    /// Cloud's bulk permission check for an audit: takes the found projects up to a batch of
    /// <see cref="PermissionCheckReader.MaxProjects"/> (waiting for the listing to fill one), reads their permissions in
    /// one request (at most ThrottleLimit requests in flight) and hands each project with its permissions on. A batch
    /// that fails (short of a failure that stops the audit) is reported project by project.
    /// </summary>
    internal sealed class BulkPermissionPhase
    {
        private readonly AsyncQueue<JiraProject> _projects;
        private readonly Func<Task<IBulkPermissionReader>> _reader;
        private readonly int _throttleLimit;
        private readonly AuditOutcomeSink _sink;

        public BulkPermissionPhase(AsyncQueue<JiraProject> projects, Func<Task<IBulkPermissionReader>> reader, int throttleLimit, AuditOutcomeSink sink)
        {
            _projects = projects;
            _reader = reader;
            _throttleLimit = Math.Max(1, throttleLimit);
            _sink = sink;
        }

        /// <summary>Projects whose permissions a bulk request has read; completed when every batch is done.</summary>
        public AsyncQueue<(JiraProject Project, HashSet<string> Held)> Checked { get; } = new AsyncQueue<(JiraProject, HashSet<string>)>();

        public async Task RunAsync()
        {
            var ct = _sink.Token;
            var running = new List<Task>();
            try
            {
                using (var gate = new SemaphoreSlim(_throttleLimit))
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
                        var reader = await _reader().ConfigureAwait(false);
                        await gate.WaitAsync(ct).ConfigureAwait(false);
                        running.Add(CheckBatchAsync(reader, batch, gate, ct));
                    }
                    await Task.WhenAll(running).ConfigureAwait(false);
                }
            }
            catch (JiraException e)
            {
                _sink.Stop(e);
            }
            finally
            {
                Checked.Complete();
            }
        }

        private async Task CheckBatchAsync(IBulkPermissionReader bulk, List<JiraProject> batch, SemaphoreSlim gate, CancellationToken ct)
        {
            try
            {
                var held = await bulk.ReadManyAsync(batch, ct).ConfigureAwait(false);
                foreach (var project in batch) Checked.Enqueue((project, held[project.Id]));
            }
            catch (JiraException e) when (!AuditOutcomeSink.IsFatal(e))
            {
                foreach (var project in batch) _sink.Finish(new JiraAccessAuditOutcome(null, e, project.Key));
            }
            finally
            {
                gate.Release();
            }
        }
    }
}

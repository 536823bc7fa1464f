using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;

namespace JiraConnect.Access
{
    /// <summary>
    /// The projects an audit is about, each once: named keys resolved 50 at a time (Data Center: looked up in the full
    /// listing, read once), then, when asked, every project of the listing (Data Center: that same listing). Keys that
    /// name no project become outcomes of their own.
    /// </summary>
    internal sealed class AuditProjectSource
    {
        private readonly JiraSession _session;
        private readonly AuditOutcomeSink _sink;
        private readonly AsyncQueue<string> _keys = new AsyncQueue<string>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Lazy<Task<IReadOnlyList<JiraProject>>> _allProjects;
        private volatile bool _listAll;

        public AuditProjectSource(JiraSession session, AuditOutcomeSink sink)
        {
            _session = session;
            _sink = sink;
            _allProjects = new Lazy<Task<IReadOnlyList<JiraProject>>>(ListAllAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The projects found, in the order they were found; completed when there will be no more.</summary>
        public AsyncQueue<JiraProject> Projects { get; } = new AsyncQueue<JiraProject>();

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

        /// <summary>After the named keys, every project the account can see.</summary>
        public void AddAllProjects()
        {
            _listAll = true;
            CompleteAdding();
        }

        public void CompleteAdding() => _keys.Complete();

        /// <summary>Stops taking keys and finding projects (the audit is disposed).</summary>
        public void Close()
        {
            _keys.Complete();
            Projects.Complete();
        }

        /// <summary>Resolves the named keys as they come, then lists (when asked); completes <see cref="Projects"/> at the end.</summary>
        public async Task RunAsync()
        {
            var ct = _sink.Token;
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
                _sink.Stop(e);
            }
            finally
            {
                Projects.Complete();
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
                    _sink.Expect();
                    Projects.Enqueue(project);
                }
                else
                {
                    _sink.Emit(new JiraAccessAuditOutcome(null, JiraProjectService.ProjectNotFound(_session, key), key));
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
            _sink.Expect();
            Projects.Enqueue(project);
        }

        private async Task<IReadOnlyList<JiraProject>> ListAllAsync() =>
            await JiraProjectService.GetProjects(_session, null, 0, long.MaxValue, _sink.Token).ReadAllAsync().ConfigureAwait(false);
    }
}

using System;
using System.Collections.Concurrent;
using System.Threading;
using JiraConnect.Services;

namespace JiraConnect.Access
{
    /// <summary>
    /// Where an audit's outcomes go: the queue the caller takes them from, the signal that some are waiting, the counts
    /// of projects known and done, and the one failure that stops the whole audit (it cancels every part).
    /// </summary>
    internal sealed class AuditOutcomeSink
    {
        private readonly ConcurrentQueue<JiraAccessAuditOutcome> _outcomes = new ConcurrentQueue<JiraAccessAuditOutcome>();
        private readonly CancellationTokenSource _stop;
        private JiraException _fatal;
        private long _expected;
        private long _done;

        public AuditOutcomeSink(CancellationToken ct)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        }

        /// <summary>Cancelled when the caller cancels, the audit is disposed, or a failure stops it.</summary>
        public CancellationToken Token => _stop.Token;

        /// <summary>Set whenever outcomes are waiting to be taken.</summary>
        public AutoResetEvent Available { get; } = new AutoResetEvent(false);

        /// <summary>The failure that stopped the audit; null while none did.</summary>
        public JiraException Fatal => Volatile.Read(ref _fatal);

        public long Expected => Interlocked.Read(ref _expected);

        public long Done => Interlocked.Read(ref _done);

        /// <summary>One more project will be audited.</summary>
        public void Expect() => Interlocked.Increment(ref _expected);

        /// <summary>An outcome that is not about a project being audited (a key that names no project).</summary>
        public void Emit(JiraAccessAuditOutcome outcome)
        {
            _outcomes.Enqueue(outcome);
            Signal();
        }

        /// <summary>The outcome of a project being audited: it counts as done.</summary>
        public void Finish(JiraAccessAuditOutcome outcome)
        {
            _outcomes.Enqueue(outcome);
            Interlocked.Increment(ref _done);
            Signal();
        }

        public bool TryTake(out JiraAccessAuditOutcome outcome) => _outcomes.TryDequeue(out outcome);

        /// <summary>Failures that would repeat for every project stop the audit instead of being reported a thousand times.</summary>
        public static bool IsFatal(JiraException e) =>
            e.Kind == JiraErrorKind.Authentication || e.ErrorId == JiraErrorId.RoleNotFound || e.ErrorId == JiraErrorId.AccountNotFound
            || e.ErrorId == JiraErrorId.BadRequest || e.Kind == JiraErrorKind.Connection;

        /// <summary>Stops the audit with the first such failure.</summary>
        public void Stop(JiraException e)
        {
            if (Interlocked.CompareExchange(ref _fatal, e, null) == null) _stop.Cancel();
        }

        public void Cancel() => _stop.Cancel();

        public void Signal()
        {
            try { Available.Set(); } catch (ObjectDisposedException) { }
        }
    }
}

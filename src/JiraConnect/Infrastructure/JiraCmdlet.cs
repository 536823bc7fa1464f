using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Diagnostics;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Base of every cmdlet: owns cancellation (Ctrl+C cancels the request in flight), runs engine calls
    /// while draining their log lines onto this pipeline thread, and maps engine failures to ErrorRecords.
    /// </summary>
    public abstract class JiraCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private LogQueue _log;

        protected CancellationToken CancellationToken => _cancellation.Token;

        protected override void StopProcessing() => _cancellation.Cancel();

        /// <summary>Runs an engine call to completion on this thread, writing its verbose/debug/warning lines as they arrive.</summary>
        protected T Await<T>(Func<CancellationToken, Task<T>> operation)
        {
            var log = _log ?? (_log = new LogQueue(this));
            var previous = JiraLog.Current;
            Task<T> task;
            JiraLog.Current = log;
            try
            {
                task = operation(_cancellation.Token);
            }
            finally
            {
                JiraLog.Current = previous;
            }
            return Await(task);
        }

        /// <summary>Waits for a task started under this cmdlet's log queue.</summary>
        protected T Await<T>(Task<T> task) => Await(task, null);

        /// <summary>Waits for a task, calling <paramref name="onTick"/> on this thread about four times a second (for WriteProgress).</summary>
        protected T Await<T>(Task<T> task, Action onTick)
        {
            var log = _log ?? (_log = new LogQueue(this));
            var handles = new[] { ((IAsyncResult)task).AsyncWaitHandle, log.Signal };
            while (!task.IsCompleted)
            {
                WaitHandle.WaitAny(handles, onTick == null ? Timeout.Infinite : 250);
                log.Drain();
                onTick?.Invoke();
            }
            log.Drain();
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Starts an engine call under this cmdlet's log queue without waiting (for prefetching).</summary>
        protected Task<T> Start<T>(Func<CancellationToken, Task<T>> operation)
        {
            var log = _log ?? (_log = new LogQueue(this));
            var previous = JiraLog.Current;
            JiraLog.Current = log;
            try { return operation(_cancellation.Token); }
            finally { JiraLog.Current = previous; }
        }

        protected void Await(Func<CancellationToken, Task> operation) =>
            Await<bool>(async ct => { await operation(ct).ConfigureAwait(false); return true; });

        /// <summary>Terminating error for an engine failure (bad input, not connected, connection-level failures).</summary>
        protected void ThrowTerminating(Exception exception, object target = null) =>
            ThrowTerminatingError(ErrorRecordFactory.Create(exception, target));

        /// <summary>Non-terminating error for one item.</summary>
        protected void WriteError(Exception exception, object target) =>
            WriteError(ErrorRecordFactory.Create(exception, target));

        /// <summary>Runs an action; engine failures become terminating errors with their ErrorId.</summary>
        protected void Guard(Action action)
        {
            try
            {
                action();
            }
            catch (JiraException e)
            {
                ThrowTerminating(e);
            }
            catch (ArgumentException e)
            {
                ThrowTerminating(e);
            }
        }

        public void Dispose()
        {
            _cancellation.Dispose();
            _log?.Signal.Dispose();
        }

        private sealed class LogQueue : IJiraLogSink
        {
            private readonly ConcurrentQueue<(JiraLogLevel Level, string Message)> _lines = new ConcurrentQueue<(JiraLogLevel, string)>();
            private readonly JiraCmdlet _cmdlet;
            private readonly bool _verbose;
            private readonly bool _debug;

            public LogQueue(JiraCmdlet cmdlet)
            {
                _cmdlet = cmdlet;
                _verbose = IsOn(cmdlet, "Verbose", "VerbosePreference");
                _debug = IsOn(cmdlet, "Debug", "DebugPreference");
            }

            public AutoResetEvent Signal { get; } = new AutoResetEvent(false);

            public bool IsEnabled(JiraLogLevel level) =>
                level == JiraLogLevel.Warning || (level == JiraLogLevel.Verbose ? _verbose : _debug);

            public void Write(JiraLogLevel level, string message)
            {
                if (!IsEnabled(level)) return;
                _lines.Enqueue((level, message));
                try { Signal.Set(); } catch (ObjectDisposedException) { }
            }

            public void Drain()
            {
                while (_lines.TryDequeue(out var line))
                {
                    switch (line.Level)
                    {
                        case JiraLogLevel.Verbose: _cmdlet.WriteVerbose(line.Message); break;
                        case JiraLogLevel.Debug: _cmdlet.WriteDebug(line.Message); break;
                        default: _cmdlet.WriteWarning(line.Message); break;
                    }
                }
            }

            private static bool IsOn(PSCmdlet cmdlet, string parameter, string preferenceVariable)
            {
                if (cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out var value))
                    return value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);
                var preference = cmdlet.SessionState.PSVariable.GetValue(preferenceVariable);
                if (preference is ActionPreference action) return action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
                return preference != null && Enum.TryParse(preference.ToString(), true, out ActionPreference parsed)
                    && parsed != ActionPreference.SilentlyContinue && parsed != ActionPreference.Ignore;
            }
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Commands
{
    /// <summary>
    /// The log pump of one cmdlet: engine work started in its scope writes verbose, debug and warning lines into a
    /// queue from any thread; the cmdlet's pipeline thread waits for that work and writes the lines as they arrive.
    /// </summary>
    internal sealed class CmdletLogRuntime : IJiraLogSink, IDisposable
    {
        private readonly ConcurrentQueue<(JiraLogLevel Level, string Message)> _lines = new ConcurrentQueue<(JiraLogLevel, string)>();
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private readonly PSCmdlet _cmdlet;
        private readonly bool _verbose;
        private readonly bool _debug;

        public CmdletLogRuntime(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
            _verbose = IsOn(cmdlet, "Verbose", "VerbosePreference");
            _debug = IsOn(cmdlet, "Debug", "DebugPreference");
        }

        public bool IsEnabled(JiraLogLevel level) =>
            level == JiraLogLevel.Warning || (level == JiraLogLevel.Verbose ? _verbose : _debug);

        public void Write(JiraLogLevel level, string message)
        {
            if (!IsEnabled(level)) return;
            _lines.Enqueue((level, message));
            try { _signal.Set(); } catch (ObjectDisposedException) { }
        }

        /// <summary>Calls <paramref name="create"/> with this queue as the current sink, so that the work it starts writes here.</summary>
        public T InScope<T>(Func<T> create)
        {
            var previous = JiraLog.Current;
            JiraLog.Current = this;
            try { return create(); }
            finally { JiraLog.Current = previous; }
        }

        /// <summary>Writes the lines that arrived so far; on the pipeline thread only.</summary>
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

        /// <summary>Blocks until the task completes, draining log lines and calling <paramref name="onWake"/> whenever it wakes.</summary>
        public void Pump(Task task, WaitHandle extra, Action onWake, int wakeMilliseconds)
        {
            var handles = extra == null
                ? new[] { ((IAsyncResult)task).AsyncWaitHandle, _signal }
                : new[] { ((IAsyncResult)task).AsyncWaitHandle, _signal, extra };
            while (!task.IsCompleted)
            {
                WaitHandle.WaitAny(handles, wakeMilliseconds);
                Drain();
                onWake?.Invoke();
            }
            Drain();
            if (extra != null) onWake?.Invoke();
        }

        public void Dispose() => _signal.Dispose();

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

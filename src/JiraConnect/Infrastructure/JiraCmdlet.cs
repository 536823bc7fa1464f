using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Diagnostics;
using JiraConnect.Security;

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
        protected T Await<T>(Func<CancellationToken, Task<T>> operation) => Await(Start(operation));

        /// <summary>Waits for a task started under this cmdlet's log queue.</summary>
        protected T Await<T>(Task<T> task) => Await(task, null);

        /// <summary>Waits for a task, calling <paramref name="onTick"/> on this thread about four times a second (for WriteProgress).</summary>
        protected T Await<T>(Task<T> task, Action onTick)
        {
            Pump(task, null, onTick, onTick == null ? Timeout.Infinite : 250);
            return Result(task);
        }

        /// <summary>
        /// Waits for a task started under this cmdlet's log queue, calling <paramref name="onSignal"/> on this thread
        /// whenever <paramref name="signal"/> is set, so that results are written as they complete.
        /// </summary>
        protected void AwaitStreaming(Task task, WaitHandle signal, Action onSignal)
        {
            Pump(task, signal, onSignal, Timeout.Infinite);
            Result(task);
        }

        /// <summary>Starts an engine call under this cmdlet's log queue without waiting (for prefetching).</summary>
        protected Task<T> Start<T>(Func<CancellationToken, Task<T>> operation) => InLogScope(operation);

        /// <summary>
        /// Calls <paramref name="create"/> with this cmdlet's log queue as the current sink, so that engine work it starts
        /// (tasks, workers) writes its log lines here.
        /// </summary>
        protected T InLogScope<T>(Func<CancellationToken, T> create)
        {
            var log = Log;
            var previous = JiraLog.Current;
            JiraLog.Current = log;
            try { return create(_cancellation.Token); }
            finally { JiraLog.Current = previous; }
        }

        /// <summary>Writes the log lines that arrived so far, without waiting.</summary>
        protected void DrainLog() => Log.Drain();

        private LogQueue Log => _log ?? (_log = new LogQueue(this));

        /// <summary>Blocks until the task completes, draining log lines and calling <paramref name="onWake"/> whenever it wakes.</summary>
        private void Pump(Task task, WaitHandle extra, Action onWake, int wakeMilliseconds)
        {
            var log = Log;
            var handles = extra == null
                ? new[] { ((IAsyncResult)task).AsyncWaitHandle, log.Signal }
                : new[] { ((IAsyncResult)task).AsyncWaitHandle, log.Signal, extra };
            while (!task.IsCompleted)
            {
                WaitHandle.WaitAny(handles, wakeMilliseconds);
                log.Drain();
                onWake?.Invoke();
            }
            log.Drain();
            if (extra != null) onWake?.Invoke();
        }

        private T Result<T>(Task<T> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private void Result(Task task)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Terminating error for an engine failure (bad input, not connected, connection-level failures).</summary>
        protected void ThrowTerminating(Exception exception, object target = null) =>
            ThrowTerminatingError(ErrorRecordFactory.Create(exception, target));

        /// <summary>Non-terminating error for one item.</summary>
        protected void WriteError(Exception exception, object target) =>
            WriteError(ErrorRecordFactory.Create(exception, target));

        /// <summary>
        /// ShouldProcess, except that a confirmation prompt that cannot be shown (pwsh -NonInteractive, a host
        /// without a UI) terminates with ConfirmationRequired and says how to confirm up front, instead of the
        /// host's "Read and Prompt functionality is not available".
        /// </summary>
        protected bool ShouldProcessOrExplain(string target, string action)
        {
            try
            {
                return ShouldProcess(target, action);
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException || e is NotImplementedException)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(JiraErrorId.ConfirmationRequired, JiraErrorKind.InvalidOperation,
                    $"{MyInvocation.MyCommand.Name} asks for confirmation before it changes anything ({action} on {target}), and this session cannot show a prompt (non-interactive).",
                    target, "Add -Confirm:$false to confirm in advance (or -WhatIf to only see what would change)."));
                return false;
            }
        }

        /// <summary>
        /// The given session, else the default one; terminates with NotConnected when there is none or it was
        /// disconnected, with <paramref name="recommendedAction"/> saying what to do instead.
        /// </summary>
        protected JiraSession ResolveSession(JiraSession session, string recommendedAction =
            "Run Connect-JiraSite first (for example: Connect-JiraSite -Url https://example.atlassian.net -Credential (Get-Credential)), or pass -Session.")
        {
            if (JiraSessionRegistry.IsUnresolved(session))
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(JiraErrorId.SessionNotFound, JiraErrorKind.NotFound,
                    $"There is no Jira session named '{session.Name}'.", session.Name,
                    $"Run Get-JiraSession to list sessions, or Connect-JiraSite -Name '{session.Name}' to open one."));
            }
            session = session ?? JiraSessionRegistry.Default;
            if (session == null || session.IsClosed)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(JiraErrorId.NotConnected, JiraErrorKind.InvalidOperation,
                    session == null ? "There is no Jira session." : $"The session '{session.Name}' was disconnected.",
                    session?.Name, recommendedAction));
            }
            return session;
        }

        /// <summary>The token of -Credential (its password) or -Token, null when empty; terminating when both are given.</summary>
        protected SecureString ChooseToken(PSCredential credential, SecureString token)
        {
            if (credential != null && token != null)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "-Credential and -Token cannot be used together.", "Token", "Pass the token once: as the password of -Credential, or as -Token."));
            }
            return NullIfEmpty(credential?.Password ?? token);
        }

        /// <summary>An empty SecureString counts as not given.</summary>
        protected static SecureString NullIfEmpty(SecureString secret) => secret != null && secret.Length > 0 ? secret : null;

        /// <summary>The user name of a credential, without the leading backslash Get-Credential adds to a domain-less name.</summary>
        protected static string UserNameOf(PSCredential credential) => credential.UserName.TrimStart('\\');

        /// <summary>Basic with the credential, or Bearer with the personal access token.</summary>
        protected static JiraAuthentication CreateAuthentication(PSCredential credential, SecureString personalAccessToken) =>
            personalAccessToken != null
                ? JiraAuthentication.Bearer(personalAccessToken)
                : JiraAuthentication.Basic(UserNameOf(credential), credential.Password);

        /// <summary>This cmdlet's progress bar: one id per cmdlet, so JiraConnect cmdlets in one pipeline keep their own bars.</summary>
        protected int ProgressId => GetType().GetHashCode() & 0xFFFF;

        /// <summary>Closes this cmdlet's progress bar.</summary>
        protected void CompleteProgress(string activity) =>
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });

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

        /// <summary>Releases what a cmdlet holds beyond the cancellation and the log queue; called once by Dispose.</summary>
        protected virtual void ReleaseResources()
        {
        }

        public void Dispose()
        {
            ReleaseResources();
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

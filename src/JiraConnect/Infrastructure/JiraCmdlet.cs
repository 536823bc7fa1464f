using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Base of every cmdlet: owns cancellation (Ctrl+C cancels the request in flight), waits for engine calls
    /// while their log lines are written on this pipeline thread (<see cref="CmdletLogRuntime"/>), and turns
    /// engine failures into ErrorRecords.
    /// </summary>
    public abstract class JiraCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private CmdletLogRuntime _log;

        protected CancellationToken CancellationToken => _cancellation.Token;

        protected override void StopProcessing() => _cancellation.Cancel();

        /// <summary>Runs an engine call to completion on this thread, writing its verbose/debug/warning lines as they arrive.</summary>
        protected T Await<T>(Func<CancellationToken, Task<T>> operation) => Await(Start(operation));

        /// <summary>Waits for a task started under this cmdlet's log queue.</summary>
        protected T Await<T>(Task<T> task) => Await(task, null);

        /// <summary>Waits for a task, calling <paramref name="onTick"/> on this thread about four times a second (for WriteProgress).</summary>
        protected T Await<T>(Task<T> task, Action onTick)
        {
            Log.Pump(task, null, onTick, onTick == null ? Timeout.Infinite : 250);
            return Result(task);
        }

        /// <summary>
        /// Waits for a task started under this cmdlet's log queue, calling <paramref name="onSignal"/> on this thread
        /// whenever <paramref name="signal"/> is set, so that results are written as they complete.
        /// </summary>
        protected void AwaitStreaming(Task task, WaitHandle signal, Action onSignal)
        {
            Log.Pump(task, signal, onSignal, Timeout.Infinite);
            Result(task);
        }

        /// <summary>Starts an engine call under this cmdlet's log queue without waiting (for prefetching).</summary>
        protected Task<T> Start<T>(Func<CancellationToken, Task<T>> operation) => InLogScope(operation);

        /// <summary>
        /// Calls <paramref name="create"/> with this cmdlet's log queue as the current sink, so that engine work it starts
        /// (tasks, workers) writes its log lines here.
        /// </summary>
        protected T InLogScope<T>(Func<CancellationToken, T> create) => Log.InScope(() => create(_cancellation.Token));

        /// <summary>Writes the log lines that arrived so far, without waiting.</summary>
        protected void DrainLog() => Log.Drain();

        private CmdletLogRuntime Log => _log ?? (_log = new CmdletLogRuntime(this));

        private T Result<T>(Task<T> task)
        {
            Result((Task)task);
            return task.GetAwaiter().GetResult();
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

        /// <summary>Terminating error found by the cmdlet itself (a parameter combination, a missing listener), with what to do next.</summary>
        protected void ThrowTerminating(string errorId, JiraErrorKind kind, string message, object target, string recommendedAction) =>
            ThrowTerminatingError(ErrorRecordFactory.Create(errorId, kind, message, target, recommendedAction));

        /// <summary>Non-terminating error for one item.</summary>
        protected void WriteError(Exception exception, object target) =>
            WriteError(ErrorRecordFactory.Create(exception, target));

        /// <summary>Non-terminating error for one item, found by the cmdlet itself, with what to do next.</summary>
        protected void WriteError(string errorId, JiraErrorKind kind, string message, object target, string recommendedAction) =>
            WriteError(ErrorRecordFactory.Create(errorId, kind, message, target, recommendedAction));

        /// <summary>
        /// ShouldProcess, except that a confirmation prompt that cannot be shown (pwsh -NonInteractive, a host
        /// without a UI) terminates with ConfirmationRequired and says how to confirm up front, instead of the
        /// host's "Read and Prompt functionality is not available". Every cmdlet of the module asks through here.
        /// </summary>
        protected new bool ShouldProcess(string target, string action) =>
            Explained(() => base.ShouldProcess(target, action), target, $"{action} on {target}");

        /// <inheritdoc cref="ShouldProcess(string, string)"/>
        protected new bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) =>
            Explained(() => base.ShouldProcess(verboseDescription, verboseWarning, caption), null, verboseWarning?.TrimEnd('?'));

        private bool Explained(Func<bool> ask, string target, string what)
        {
            try
            {
                return ask();
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException || e is NotImplementedException)
            {
                ThrowTerminating(JiraErrorId.ConfirmationRequired, JiraErrorKind.InvalidOperation,
                    $"{MyInvocation.MyCommand.Name} asks for confirmation before it changes anything ({what}), and this session cannot show a prompt (non-interactive).",
                    target, "Add -Confirm:$false to confirm in advance (or -WhatIf to only see what would change).");
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
                ThrowTerminating(JiraErrorId.SessionNotFound, JiraErrorKind.NotFound,
                    $"There is no Jira session named '{session.Name}'.", session.Name,
                    $"Run Get-JiraSession to list sessions, or Connect-JiraSite -Name '{session.Name}' to open one.");
            }
            session = session ?? JiraSessionRegistry.Default;
            if (session == null || session.IsClosed)
            {
                ThrowTerminating(JiraErrorId.NotConnected, JiraErrorKind.InvalidOperation,
                    session == null ? "There is no Jira session." : $"The session '{session.Name}' was disconnected.",
                    session?.Name, recommendedAction);
            }
            return session;
        }

        /// <summary>This cmdlet's progress bar: one id per cmdlet, so JiraConnect cmdlets in one pipeline keep their own bars.</summary>
        protected int ProgressId => GetType().GetHashCode() & 0xFFFF;

        /// <summary>Closes this cmdlet's progress bar.</summary>
        protected void CompleteProgress(string activity) =>
            WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });

        /// <summary>Runs an engine call and returns its result; engine failures and bad arguments become terminating errors with their ErrorId.</summary>
        protected T Guard<T>(Func<T> operation)
        {
            try
            {
                return operation();
            }
            catch (Exception e) when (e is JiraException || e is ArgumentException)
            {
                ThrowTerminating(e);
                return default(T);
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
            _log?.Dispose();
        }
    }
}

using System;
using System.Linq;
using System.Management.Automation;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Audits what an account may do in projects: the permissions an integration needs and the project role it
    /// should hold, many projects in parallel, one JiraProjectAccess per project as each completes.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "JiraProjectAccess", HelpUri = JiraHelp.Root + "Test-JiraProjectAccess.md")]
    [OutputType(typeof(JiraProjectAccess))]
    public sealed class TestJiraProjectAccessCommand : JiraApiCmdlet
    {
        private const string Activity = "Auditing Jira project access";

        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Project", "Key")]
        [ArgumentCompleter(typeof(ProjectKeyCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] ProjectKey { get; set; }

        [Parameter]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string AccountId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Permission { get; set; } = JiraAccessAuditOptions.DefaultPermissions.ToArray();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Role { get; set; } = JiraAccessAuditOptions.DefaultRole;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string RequireRole { get; set; }

        [Parameter]
        public SwitchParameter SkipRoleCheck { get; set; }

        /// <summary>Asks Jira project by project even on Cloud, where one request answers for 1,000 projects: for comparison and troubleshooting.</summary>
        [Parameter(DontShow = true)]
        public SwitchParameter PerProject { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        private JiraProjectAccessAudit _audit;
        private bool _listAll;
        private const int ProgressIntervalMs = 250;
        private readonly System.Diagnostics.Stopwatch _progressClock = new System.Diagnostics.Stopwatch();

        protected override void BeginProcessing()
        {
            var session = ResolveSession();
            bool roleGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Role));
            if (RequireRole != null && (SkipRoleCheck || (roleGiven && !string.Equals(Role, RequireRole, StringComparison.OrdinalIgnoreCase))))
            {
                ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    SkipRoleCheck ? "-RequireRole cannot be used with -SkipRoleCheck." : "-RequireRole and -Role name different roles.", RequireRole,
                    "Name the role once: -RequireRole <role> to require it in every project, or -Role <role> to look it up only where the account is not ready.");
            }
            var options = new JiraAccessAuditOptions
            {
                Permissions = Permission,
                Role = RequireRole ?? Role,
                CheckRole = !SkipRoleCheck,
                RequireRole = RequireRole != null,
                PerProject = PerProject,
                AccountId = AccountId,
                ThrottleLimit = ThrottleLimit,
            };
            _audit = Guard(() => InLogScope(ct => JiraProjectAccessAudit.Start(session, options, ct)));
        }

        protected override void ProcessRecord()
        {
            if (ProjectKey == null) _listAll = true;
            else _audit.AddKeys(ProjectKey);
            DrainLog();
            WriteOutcomes();
        }

        protected override void EndProcessing()
        {
            if (_listAll) _audit.AddAllProjects();
            else _audit.CompleteAdding();
            try
            {
                AwaitStreaming(_audit.Completion, _audit.OutcomeAvailable, WriteOutcomes);
            }
            catch (JiraException e)
            {
                ThrowTerminating(e);
            }
            finally
            {
                CompleteProgress(Activity);
            }
        }

        private void WriteOutcomes()
        {
            bool any = false;
            while (_audit.TryTake(out var outcome))
            {
                any = true;
                if (outcome.Result != null) WriteObject(CommandLineText.WithRemedy(outcome.Result));
                else WriteError(outcome.Error, outcome.Target);
            }
            // Rendering progress is slow in some hosts: refresh it at most a few times a second.
            if (!any || (_progressClock.IsRunning && _progressClock.ElapsedMilliseconds < ProgressIntervalMs)) return;
            _progressClock.Restart();
            long expected = _audit.Expected;
            var record = new ProgressRecord(ProgressId, Activity, $"{_audit.Done} of {expected} projects checked");
            if (expected > 0) record.PercentComplete = (int)Math.Min(100, _audit.Done * 100 / expected);
            WriteProgress(record);
        }

        protected override void ReleaseResources() => _audit?.Dispose();
    }
}

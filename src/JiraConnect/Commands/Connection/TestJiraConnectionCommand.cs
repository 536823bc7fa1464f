using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using JiraConnect.Diagnostics;
using JiraConnect.Http;
using JiraConnect.Services;
using static JiraConnect.Commands.CredentialParameters;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Runs every check that applies to a session (or to a site and credentials) and to the given inputs:
    /// DNS and TLS, credentials, account, deployment, OAuth, project access, listener delivery. One
    /// JiraConnectionCheck per check, or with -Quiet one boolean: true when no check failed.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "JiraConnection", HelpUri = JiraHelp.Root + "Test-JiraConnection.md", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(JiraConnectionCheck))]
    [OutputType(typeof(bool))]
    public sealed class TestJiraConnectionCommand : JiraApiCmdlet
    {
        public const string SessionSet = "Session";
        public const string CredentialSet = "Credential";
        public const string PersonalAccessTokenSet = "PersonalAccessToken";

        private const string Activity = "Testing the Jira connection";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CredentialSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PersonalAccessTokenSet)]
        [Alias("SiteUrl", "BaseUrl")]
        [ValidateNotNull]
        public Uri Url { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PersonalAccessTokenSet)]
        [ValidateNotNull]
        public SecureString PersonalAccessToken { get; set; }

        [Parameter(ParameterSetName = CredentialSet)]
        [Parameter(ParameterSetName = PersonalAccessTokenSet)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        [Alias("Project")]
        [ArgumentCompleter(typeof(ProjectKeyCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] ProjectKey { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Permission { get; set; } = JiraAccessAuditOptions.DefaultPermissions.ToArray();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Role { get; set; } = JiraAccessAuditOptions.DefaultRole;

        [Parameter]
        public SwitchParameter SkipProjectAccess { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri ListenerUrl { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString ListenerToken { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] RequiredScope { get; set; } = JiraConnectorSettingService.ExpectedScopes.Select(s => s.Key).ToArray();

        [Parameter]
        [ValidateSet("atlassian", "app", "customer", IgnoreCase = true)]
        public string ExpectedAccountType { get; set; } = "atlassian";

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>CredentialExpiry warns when the credential expires within this many days.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int CredentialExpiryWarningDays { get; set; } = 30;

        /// <summary>With -Url: when the API token or personal access token expires.</summary>
        [Parameter(ParameterSetName = CredentialSet)]
        [Parameter(ParameterSetName = PersonalAccessTokenSet)]
        public DateTimeOffset TokenExpiresAt { get; set; }

        protected override void ProcessRecord()
        {
            var options = new JiraConnectionTestOptions
            {
                Projects = ProjectKey,
                SkipProjectAccess = SkipProjectAccess,
                Audit = new JiraAccessAuditOptions { Permissions = Permission, Role = Role, RequireRole = true },
                ExpectedAccountType = ExpectedAccountType,
                RequiredScopes = RequiredScope,
                ListenerUrl = ListenerUrl,
                ListenerToken = ListenerToken,
                CredentialExpiryWarning = TimeSpan.FromDays(CredentialExpiryWarningDays),
            };
            if (ParameterSetName == SessionSet)
            {
                options.Session = ResolveSession();
            }
            else
            {
                if (MyInvocation.BoundParameters.ContainsKey(nameof(Session)))
                {
                    ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                        "-Session cannot be used with -Url.", Url, "Test an open session with -Session, or a site and credentials with -Url and -Credential or -PersonalAccessToken.");
                }
                options.Connection = Guard(() => new JiraConnectionOptions
                {
                    Url = Url,
                    Authentication = CreateAuthentication(Credential, PersonalAccessToken),
                    SkipCertificateCheck = SkipCertificateCheck,
                    Name = "Test-JiraConnection",
                    CredentialExpiresAt = MyInvocation.BoundParameters.ContainsKey(nameof(TokenExpiresAt)) ? TokenExpiresAt : (DateTimeOffset?)null,
                });
            }

            bool failed = false;
            using (var diagnostics = Guard(() => new JiraConnectionDiagnostics(options)))
            {
                int done = 0;
                foreach (var step in diagnostics.Steps)
                {
                    WriteProgress(new ProgressRecord(ProgressId, Activity, step.Activity) { PercentComplete = done * 100 / diagnostics.Steps.Count });
                    var checks = Await(ct => step.RunAsync(ct));
                    foreach (var check in checks.Select(CommandLineText.WithRemedy))
                    {
                        failed |= check.Failed;
                        if (!Quiet) WriteObject(check);
                        else if (check.Failed) WriteVerbose($"{check.Name} failed: {check.Detail}");
                    }
                    done++;
                }
            }
            CompleteProgress(Activity);
            if (Quiet) WriteObject(!failed);
        }
    }
}

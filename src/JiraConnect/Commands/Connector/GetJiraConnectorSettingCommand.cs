using System;
using System.Management.Automation;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    /// <summary>Shows the values to type into an integration platform's Jira connector form, secrets masked, and warns about visible mistakes.</summary>
    [Cmdlet(VerbsCommon.Get, "JiraConnectorSetting", HelpUri = JiraHelp.Root + "Get-JiraConnectorSetting.md", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(JiraConnectorSetting))]
    public sealed class GetJiraConnectorSettingCommand : JiraCmdlet
    {
        public const string SessionSet = "Session";
        public const string OAuthAppSet = "OAuthApp";
        public const string TokenSet = "Token";

        [Parameter(Position = 0, ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [JiraSessionTransformation]
        [ArgumentCompleter(typeof(SessionNameCompleter))]
        [ValidateNotNull]
        public JiraSession Session { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = TokenSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public JiraOAuthToken OAuthToken { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = OAuthAppSet)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = OAuthAppSet)]
        [ArgumentCompleter(typeof(OAuthScopeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Scope { get; set; }

        [Parameter(ParameterSetName = OAuthAppSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [Alias("CallbackUrl")]
        public Uri RedirectUri { get; set; }

        [Parameter(ParameterSetName = OAuthAppSet)]
        [Parameter(ParameterSetName = TokenSet)]
        [ValidateNotNullOrEmpty]
        public string CloudId { get; set; }

        [Parameter(ParameterSetName = OAuthAppSet)]
        [JiraOAuthEnvironmentTransformation]
        [ValidateNotNull]
        public JiraOAuthEnvironment Environment { get; set; }

        protected override void ProcessRecord()
        {
            JiraConnectorSettings result;
            switch (ParameterSetName)
            {
                case OAuthAppSet:
                    result = JiraConnectorSettingService.ForOAuthApp(Environment, ClientId, false, Scope, RedirectUri, CloudId);
                    break;
                case TokenSet:
                    result = JiraConnectorSettingService.ForToken(OAuthToken, RedirectUri, CloudId);
                    break;
                default:
                    result = JiraConnectorSettingService.ForSession(ResolveSession(Session,
                        "Connect first (Connect-JiraSite), or describe an app with -ClientId and -Scope, or a token with -OAuthToken."));
                    break;
            }
            foreach (var warning in result.Warnings) WriteWarning(warning);
            WriteObject(result.Settings, enumerateCollection: true);
        }
    }
}

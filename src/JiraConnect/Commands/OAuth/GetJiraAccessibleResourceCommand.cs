using System.Management.Automation;
using JiraConnect.OAuth;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    /// <summary>Lists the sites (cloudIds) and products an OAuth token reaches.</summary>
    [Cmdlet(VerbsCommon.Get, "JiraAccessibleResource", HelpUri = JiraHelp.Root + "Get-JiraAccessibleResource.md", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(JiraAccessibleResource))]
    public sealed class GetJiraAccessibleResourceCommand : JiraCmdlet
    {
        public const string SessionSet = "Session";
        public const string TokenSet = "Token";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TokenSet, ValueFromPipeline = true)]
        [Alias("OAuthToken")]
        [ValidateNotNull]
        public JiraOAuthToken Token { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [JiraSessionTransformation]
        [ArgumentCompleter(typeof(SessionNameCompleter))]
        [ValidateNotNull]
        public JiraSession Session { get; set; }

        [Parameter]
        public SwitchParameter JiraOnly { get; set; }

        protected override void ProcessRecord()
        {
            var token = Token ?? SessionToken();
            try
            {
                foreach (var resource in Await(ct => JiraOAuthService.GetAccessibleResourcesAsync(token, ct)))
                {
                    if (!JiraOnly || resource.IsJira) WriteObject(resource);
                }
            }
            catch (JiraException e)
            {
                WriteError(e, e.Target);
            }
        }

        private JiraOAuthToken SessionToken()
        {
            var session = ResolveSession(Session, "Pass -Token (from Invoke-JiraOAuthConsent), or connect first with Connect-JiraSite -OAuthToken.");
            if (session.OAuthToken == null)
            {
                ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    $"The session '{session.Name}' does not use OAuth ({session.AuthenticationType}); accessible resources belong to OAuth tokens.", session.Name,
                    "Pass -Token, or -Session with a session opened by Connect-JiraSite -OAuthToken.");
            }
            return session.OAuthToken;
        }
    }
}

using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Base of cmdlets that call a Jira site: the -Session parameter and the default-session lookup.</summary>
    public abstract class JiraApiCmdlet : JiraCmdlet
    {
        /// <summary>The session to use (an object from Connect-JiraSite or Get-JiraSession, or a session name); default: the default session.</summary>
        [Parameter]
        [JiraSessionTransformation]
        [ArgumentCompleter(typeof(SessionNameCompleter))]
        [ValidateNotNull]
        public JiraSession Session { get; set; }

        /// <summary>The session to call through; terminates with NotConnected when there is none.</summary>
        protected JiraSession ResolveSession() => ResolveSession(Session);
    }
}

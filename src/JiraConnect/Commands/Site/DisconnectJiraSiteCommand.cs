using System.Collections.Generic;
using System.Management.Automation;
using JiraConnect.OAuth;

namespace JiraConnect.Commands
{
    /// <summary>Closes Jira sessions and forgets their credentials.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "JiraSite", HelpUri = JiraHelp.Root + "Disconnect-JiraSite.md", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(JiraSession))]
    public sealed class DisconnectJiraSiteCommand : JiraCmdlet
    {
        public const string NameSet = "Name";
        public const string SessionSet = "Session";
        public const string AllSet = "All";

        [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SessionNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public JiraSession[] Session { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Also deletes the token cache file of OAuth sessions that have one.</summary>
        [Parameter]
        public SwitchParameter ClearTokenCache { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var session in Targets())
            {
                if (!ShouldProcess($"{session.Name} ({session.SiteUrl})", "Disconnect")) continue;
                JiraSessionRegistry.Remove(session);
                string cachePath = session.TokenCachePath;
                if (ClearTokenCache && cachePath != null && ShouldProcess(cachePath, "Delete the OAuth token cache"))
                {
                    try
                    {
                        if (JiraOAuthService.DeleteTokenCache(session.OAuthToken)) WriteVerbose("Deleted the token cache " + cachePath + ".");
                    }
                    catch (System.Exception e) when (e is System.IO.IOException || e is System.UnauthorizedAccessException)
                    {
                        WriteError(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.InvalidOperation,
                            $"The token cache '{cachePath}' could not be deleted: {e.Message}", cachePath, "Delete the file by hand.");
                    }
                }
                if (PassThru) WriteObject(session);
            }
        }

        private IEnumerable<JiraSession> Targets()
        {
            switch (ParameterSetName)
            {
                case AllSet:
                    return JiraSessionRegistry.GetAll();
                case SessionSet:
                    return Session;
                default:
                    if (Name == null)
                    {
                        var current = JiraSessionRegistry.Default;
                        if (current == null)
                        {
                            WriteError(JiraErrorId.NotConnected, JiraErrorKind.InvalidOperation,
                                "There is no default Jira session to disconnect.", null, "Run Get-JiraSession to list sessions.");
                            return new JiraSession[0];
                        }
                        return new[] { current };
                    }
                    var found = new List<JiraSession>();
                    foreach (var name in Name)
                    {
                        var session = JiraSessionRegistry.Get(name);
                        if (session == null)
                            WriteError(JiraErrorId.SessionNotFound, JiraErrorKind.NotFound,
                                $"There is no Jira session named '{name}'.", name, "Run Get-JiraSession to list sessions.");
                        else
                            found.Add(session);
                    }
                    return found;
            }
        }
    }
}

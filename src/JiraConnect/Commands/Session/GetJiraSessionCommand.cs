using System.Linq;
using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Lists the open Jira sessions.</summary>
    [Cmdlet(VerbsCommon.Get, "JiraSession", HelpUri = JiraHelp.Root + "Get-JiraSession.md")]
    [OutputType(typeof(JiraSession))]
    public sealed class GetJiraSessionCommand : JiraCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SessionNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        protected override void ProcessRecord()
        {
            var sessions = JiraSessionRegistry.GetAll();
            if (Name == null)
            {
                WriteObject(sessions, enumerateCollection: true);
                return;
            }
            foreach (var name in Name)
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                var matches = sessions.Where(s => pattern.IsMatch(s.Name)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(JiraErrorId.SessionNotFound, JiraErrorKind.NotFound,
                        $"There is no Jira session named '{name}'.", name, "Run Get-JiraSession to list sessions, or Connect-JiraSite to open one.");
                    continue;
                }
                WriteObject(matches, enumerateCollection: true);
            }
        }
    }
}

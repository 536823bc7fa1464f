using System.Linq;
using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Gets the webhook listeners running in this PowerShell session.</summary>
    [Cmdlet(VerbsCommon.Get, "JiraWebhookListener", HelpUri = JiraHelp.Root + "Get-JiraWebhookListener.md")]
    [OutputType(typeof(JiraWebhookListener))]
    public sealed class GetJiraWebhookListenerCommand : JiraCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public int[] Id { get; set; }

        protected override void ProcessRecord()
        {
            var listeners = JiraWebhookListenerRegistry.GetAll();
            if (Id == null)
            {
                WriteObject(listeners, enumerateCollection: true);
                return;
            }
            foreach (int id in Id)
            {
                var listener = listeners.FirstOrDefault(l => l.Id == id);
                if (listener != null) WriteObject(listener);
                else WriteError(JiraErrorId.ListenerNotRunning, JiraErrorKind.NotFound,
                    $"No webhook listener with Id {id} is running.", id, "Run Get-JiraWebhookListener to list the running listeners.");
            }
        }
    }
}

using System.Collections.Generic;
using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Stops webhook listeners and closes their port.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "JiraWebhookListener", HelpUri = JiraHelp.Root + "Stop-JiraWebhookListener.md", DefaultParameterSetName = ListenerSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(JiraWebhookListener))]
    public sealed class StopJiraWebhookListenerCommand : JiraCmdlet
    {
        public const string ListenerSet = "Listener";
        public const string AllSet = "All";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ListenerSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public JiraWebhookListener[] Listener { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            IEnumerable<JiraWebhookListener> targets = All ? JiraWebhookListenerRegistry.GetAll() : Listener;
            foreach (var listener in targets)
            {
                if (!ShouldProcess(listener.Url.ToString(), "Stop webhook listener")) continue;
                listener.Stop();
                WriteVerbose($"Stopped {listener.Url}: {listener.ReceivedCount} requests kept, {listener.DuplicateCount} duplicates, {listener.RejectedCount} refused.");
                if (PassThru) WriteObject(listener);
            }
        }
    }
}

using System;
using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Gets the requests a webhook listener received, waiting for a number of them when asked.</summary>
    [Cmdlet(VerbsCommunications.Receive, "JiraWebhook", HelpUri = JiraHelp.Root + "Receive-JiraWebhook.md", DefaultParameterSetName = NewSet)]
    [OutputType(typeof(JiraWebhookDelivery))]
    public sealed class ReceiveJiraWebhookCommand : JiraCmdlet
    {
        public const string NewSet = "New";
        public const string AllSet = "All";

        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public JiraWebhookListener Listener { get; set; }

        [Parameter(ParameterSetName = NewSet)]
        [ValidateRange(0, 10000000)]
        public int Count { get; set; }

        [Parameter(ParameterSetName = NewSet)]
        [ValidateRange(0, 86400)]
        public int TimeoutSec { get; set; } = 30;

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        protected override void ProcessRecord()
        {
            var listener = Listener ?? JiraWebhookListenerRegistry.Latest;
            if (listener == null)
            {
                ThrowTerminating(JiraErrorId.ListenerNotRunning, JiraErrorKind.InvalidOperation,
                    "No webhook listener is running.", null, "Start one with Start-JiraWebhookListener, or pass -Listener.");
            }
            if (All)
            {
                WriteObject(listener.GetDeliveries(), enumerateCollection: true);
                return;
            }
            // Without -Count, only what is there unless -TimeoutSec was given: then wait for the first one.
            var timeout = Count == 0 && !MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeSpan.Zero : TimeSpan.FromSeconds(TimeoutSec);
            var deliveries = Await(ct => listener.ReceiveAsync(Count, timeout, ct));
            WriteObject(deliveries, enumerateCollection: true);
            if (deliveries.Count < Count || (Count == 0 && timeout > TimeSpan.Zero && deliveries.Count == 0))
            {
                WriteError(JiraErrorId.WebhookReceiveTimeout, JiraErrorKind.Timeout,
                    $"{deliveries.Count} of {Math.Max(Count, 1)} requests arrived at {listener.Url} within {TimeoutSec} s.", listener,
                    "Check that the sender uses this URL and port, look at the sender's verdict, or wait longer with -TimeoutSec.");
            }
        }
    }
}

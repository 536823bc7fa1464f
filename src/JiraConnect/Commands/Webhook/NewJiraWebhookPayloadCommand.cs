using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Builds a webhook body exactly as Jira would send it, from an issue, an issue key, a project or the built-in sample.</summary>
    [Cmdlet(VerbsCommon.New, "JiraWebhookPayload", HelpUri = JiraHelp.Root + "New-JiraWebhookPayload.md", DefaultParameterSetName = SampleSet)]
    [OutputType(typeof(JiraWebhookPayload))]
    public sealed class NewJiraWebhookPayloadCommand : JiraWebhookCmdlet
    {
        public const string SampleSet = "Sample";
        public const string IssueKeySet = "IssueKey";

        [Parameter(Position = 0)]
        [Alias("Body")]
        [JiraWebhookBodyFormatTransformation]
        public JiraWebhookBodyFormat Format { get; set; } = JiraWebhookBodyFormat.JiraIssue;

        [Parameter(ParameterSetName = SampleSet, ValueFromPipeline = true)]
        public object Issue { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IssueKeySet)]
        [ValidateNotNullOrEmpty]
        public string IssueKey { get; set; }

        [Parameter]
        public object CustomData { get; set; }

        [Parameter]
        public SwitchParameter EncodeAsForm { get; set; }

        [Parameter]
        [ValidateSet(IssueCreated, IssueUpdated, IssueDeleted)]
        public string WebhookEvent { get; set; } = IssueCreated;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string WebhookIdentifier { get; set; }

        protected override void ProcessRecord()
        {
            var payload = BuildPayload(Format, Issue, IssueKey, CustomData, EncodeAsForm, WebhookEvent, WebhookIdentifier);
            if (payload != null) WriteObject(payload);
        }
    }
}

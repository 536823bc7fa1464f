using System;
using System.Management.Automation;
using JiraConnect.Webhooks;

namespace JiraConnect.Commands
{
    /// <summary>Renders a smart-value template ({{issue.key}} or ${issue.key}) against an issue as Jira Automation would.</summary>
    [Cmdlet(VerbsCommon.Format, "JiraSmartValue", HelpUri = JiraHelp.Root + "Format-JiraSmartValue.md", DefaultParameterSetName = SampleSet)]
    [OutputType(typeof(string))]
    public sealed class FormatJiraSmartValueCommand : JiraWebhookCmdlet
    {
        public const string SampleSet = "Sample";
        public const string IssueKeySet = "IssueKey";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        public string Template { get; set; }

        [Parameter(ParameterSetName = SampleSet)]
        public object Issue { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IssueKeySet)]
        [ValidateNotNullOrEmpty]
        public string IssueKey { get; set; }

        [Parameter]
        [ValidateSet(IssueCreated, IssueUpdated, IssueDeleted)]
        public string WebhookEvent { get; set; } = IssueCreated;

        private JiraWebhookPayloadRequest _source;

        protected override void BeginProcessing()
        {
            try
            {
                _source = CreatePayloadRequest(JiraWebhookBodyFormat.Custom, Issue, IssueKey, null, false, WebhookEvent, null);
            }
            catch (JiraException e)
            {
                ThrowTerminating(e, (object)IssueKey ?? Issue);
            }
        }

        protected override void ProcessRecord()
        {
            _source.CustomData = Template;
            try
            {
                WriteObject(JiraWebhookPayloadBuilder.Build(_source).Body);
            }
            catch (JiraTemplateException e)
            {
                WriteError(e, Template);
            }
        }
    }
}

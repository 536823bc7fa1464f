using System;
using System.Management.Automation;
using JiraConnect.Webhooks;

namespace JiraConnect.Commands
{
    /// <summary>Checks whether a Jira Data Center site's allowlist lets Jira send web requests to a listener URL.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "JiraWebhookAllowlist", HelpUri = JiraHelp.Root + "Test-JiraWebhookAllowlist.md")]
    [OutputType(typeof(JiraWebhookAllowlistResult))]
    public sealed class TestJiraWebhookAllowlistCommand : JiraApiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Url")]
        [ValidateNotNull]
        public Uri Uri { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            try
            {
                var result = Await(ct => JiraAllowlistService.CheckAsync(session, Uri, ct));
                WriteVerbose(result.Message);
                WriteObject(result);
            }
            catch (JiraException e)
            {
                WriteError(e, Uri);
            }
        }
    }
}

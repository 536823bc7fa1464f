using System.Management.Automation;
using JiraConnect.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Disables Jira Automation rules and deletes them; where Jira refuses the delete, says so and leaves the rule disabled.</summary>
    [Cmdlet(VerbsCommon.Remove, "JiraAutomationRule", HelpUri = JiraHelp.Root + "Remove-JiraAutomationRule.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(JiraAutomationRuleChange))]
    public sealed class RemoveJiraAutomationRuleCommand : JiraAutomationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Uuid { get; set; }

        protected override void ProcessRecord()
        {
            var client = AutomationClient();
            foreach (var uuid in Uuid)
            {
                var rule = Try(ct => JiraAutomationRuleWriter.PeekAsync(client, uuid, ct), uuid);
                if (rule == null || !ShouldProcess($"{rule.Name} ({uuid})", "Disable and delete the automation rule")) continue;
                var change = Try(ct => JiraAutomationRuleWriter.RemoveAsync(client, rule, ct), uuid);
                if (change == null) continue;
                if (change.Action == nameof(JiraAutomationRuleAction.DisabledNotRemoved))
                    WriteWarning($"Jira refused to delete the automation rule '{rule.Name}' ({uuid}); it is disabled and stays so. Delete it in Jira (Automation → the rule → … → Delete) if it must go.");
                WriteObject(change);
            }
        }
    }
}

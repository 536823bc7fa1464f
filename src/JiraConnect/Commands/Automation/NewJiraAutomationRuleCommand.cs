using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Creates a Jira Automation rule from its JSON (as Get-JiraAutomationRule -Detailed exports it); created disabled, enabled after the write when the JSON says ENABLED or -Enable is given.</summary>
    [Cmdlet(VerbsCommon.New, "JiraAutomationRule", HelpUri = JiraHelp.Root + "New-JiraAutomationRule.md", SupportsShouldProcess = true, DefaultParameterSetName = JsonSet)]
    [OutputType(typeof(JiraAutomationRuleChange))]
    public sealed class NewJiraAutomationRuleCommand : JiraAutomationRuleJsonCommand
    {
        [Parameter]
        public SwitchParameter Enable { get; set; }

        protected override void ProcessRecord()
        {
            var client = AutomationClient();
            foreach (var (json, source) in Inputs()) Write(client, json, source, null, Enable);
        }
    }
}

using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Turns Jira Automation rules on.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "JiraAutomationRule", HelpUri = JiraHelp.Root + "Enable-JiraAutomationRule.md", SupportsShouldProcess = true)]
    [OutputType(typeof(JiraAutomationRuleChange))]
    public sealed class EnableJiraAutomationRuleCommand : JiraAutomationRuleStateCommand
    {
        protected override bool Enabled => true;
    }
}

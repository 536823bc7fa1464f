using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Turns Jira Automation rules off.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "JiraAutomationRule", HelpUri = JiraHelp.Root + "Disable-JiraAutomationRule.md", SupportsShouldProcess = true)]
    [OutputType(typeof(JiraAutomationRuleChange))]
    public sealed class DisableJiraAutomationRuleCommand : JiraAutomationRuleStateCommand
    {
        protected override bool Enabled => false;
    }
}

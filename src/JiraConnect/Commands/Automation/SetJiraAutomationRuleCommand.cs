using System.Management.Automation;
using JiraConnect.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Replaces a Jira Automation rule with the given JSON (the full rule, component ids kept); reports Updated or Unchanged.</summary>
    [Cmdlet(VerbsCommon.Set, "JiraAutomationRule", HelpUri = JiraHelp.Root + "Set-JiraAutomationRule.md", SupportsShouldProcess = true, DefaultParameterSetName = JsonSet)]
    [OutputType(typeof(JiraAutomationRuleChange))]
    public sealed class SetJiraAutomationRuleCommand : JiraAutomationRuleJsonCommand
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Uuid { get; set; }

        protected override void ProcessRecord()
        {
            var client = AutomationClient();
            foreach (var (json, source) in Inputs())
            {
                string uuid = Uuid;
                if (uuid == null)
                {
                    try { uuid = JiraAutomationRuleWriter.UuidOf(json); }
                    catch (JiraException e) { WriteError(e, source); continue; }
                }
                if (uuid == null)
                {
                    WriteError(JiraErrorId.AutomationRuleInvalid, JiraErrorKind.InvalidArgument,
                        "The rule JSON names no uuid, so there is no rule to update.", source, "Pass -Uuid, or use New-JiraAutomationRule to create the rule.");
                    continue;
                }
                Write(client, json, source, uuid, enable: false);
            }
        }
    }
}

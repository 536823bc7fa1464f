using System.Management.Automation;
using JiraConnect.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Base of Enable-/Disable-JiraAutomationRule: rules by uuid (or piped from Get-JiraAutomationRule).</summary>
    public abstract class JiraAutomationRuleStateCommand : JiraAutomationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Uuid { get; set; }

        protected abstract bool Enabled { get; }

        protected override void ProcessRecord()
        {
            var client = AutomationClient();
            foreach (var uuid in Uuid)
            {
                var rule = Try(ct => JiraAutomationRuleWriter.PeekAsync(client, uuid, ct), uuid);
                if (rule == null) continue;
                string verb = Enabled ? "Enable" : "Disable";
                if (rule.Enabled != Enabled && !ShouldProcess($"{rule.Name} ({uuid})", $"{verb} the automation rule")) continue;
                var change = Try(ct => JiraAutomationRuleWriter.SetStateAsync(client, rule, Enabled, ct), uuid);
                if (change != null) WriteObject(change);
            }
        }
    }
}

using System;
using System.IO;
using System.Management.Automation;
using JiraConnect.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Base of New-/Set-JiraAutomationRule: rule JSON from -Json, -Path or a piped rule from Get-JiraAutomationRule -Detailed.</summary>
    public abstract class JiraAutomationRuleJsonCommand : JiraAutomationCmdlet
    {
        public const string JsonSet = "Json";
        public const string PathSet = "Path";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = JsonSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Json { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>Each rule JSON given, with where it came from.</summary>
        protected System.Collections.Generic.IEnumerable<(string Json, string Source)> Inputs()
        {
            if (ParameterSetName == JsonSet)
            {
                yield return (Json, "JSON");
                yield break;
            }
            foreach (var path in Path)
            {
                foreach (var file in GetResolvedProviderPathFromPSPath(path, out _))
                    yield return (File.ReadAllText(file), file);
            }
        }

        /// <summary>Plans, asks, writes and reports one rule.</summary>
        protected void Write(JiraAutomationClient client, string json, string source, string uuid, bool enable)
        {
            JiraAutomationRulePlan plan = null;
            try
            {
                plan = Await(ct => JiraAutomationRuleWriter.PlanJsonAsync(client, json, uuid, ct));
            }
            catch (JiraException e)
            {
                WriteError(e, source);
                return;
            }
            WarnAboutMaskedHeaders(json);
            string verb = plan.Action == JiraAutomationRuleAction.Created ? "Create" : "Update";
            if (!ShouldProcess($"{verb} the automation rule '{plan.Name}' from {source}:{Environment.NewLine}{plan.MaskedJson}",
                $"{verb} the automation rule '{plan.Name}'?", MyInvocation.MyCommand.Name)) return;
            var change = Try(ct => JiraAutomationRuleWriter.ApplyAsync(client, plan, enable, ct), source);
            if (change != null) WriteObject(change);
        }
    }
}

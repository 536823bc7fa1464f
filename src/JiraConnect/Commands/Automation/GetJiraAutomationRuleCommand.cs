using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using JiraConnect.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Lists Jira Automation rules (summaries), or whole rules with -Uuid or -Detailed; filters by state, trigger, project, name and target URL.</summary>
    [Cmdlet(VerbsCommon.Get, "JiraAutomationRule", HelpUri = JiraHelp.Root + "Get-JiraAutomationRule.md", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(JiraAutomationRule))]
    public sealed class GetJiraAutomationRuleCommand : JiraAutomationCmdlet
    {
        public const string ListSet = "List";
        public const string UuidSet = "Uuid";

        [Parameter(Mandatory = true, ParameterSetName = UuidSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Uuid { get; set; }

        [Parameter(Position = 0, ParameterSetName = ListSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("Enabled", "Disabled")]
        public string State { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ArgumentCompleter(typeof(AutomationTriggerCompleter))]
        [ValidateNotNullOrEmpty]
        public string Trigger { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string[] ProjectKey { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Alias("Url", "ListenerUrl")]
        [ValidateNotNull]
        public Uri Uri { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Detailed { get; set; }

        protected override void ProcessRecord()
        {
            var client = AutomationClient();
            if (ParameterSetName == UuidSet)
            {
                var found = new List<JiraAutomationRule>();
                foreach (var uuid in Uuid)
                {
                    var rule = Try(ct => client.GetAsync(uuid, ct), uuid);
                    if (rule != null) found.Add(rule);
                }
                Await(ct => Done(client.ResolveProjectKeysAsync(found, ct)));
                foreach (var rule in found) WriteObject(rule);
                return;
            }

            var filter = new JiraAutomationRuleFilter
            {
                State = State?.ToUpperInvariant(),
                Trigger = AutomationTriggerNames.ToType(Trigger),
            };
            if (ProjectKey != null)
            {
                var aris = new List<string>();
                foreach (var key in ProjectKey.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    try { aris.Add(Await(ct => client.ProjectAriAsync(key, ct))); }
                    catch (JiraException e) { ThrowTerminating(e, key); }
                }
                filter.ScopeAris = aris;
            }
            IReadOnlyList<JiraAutomationRule> rules = null;
            try
            {
                rules = Await(ct => client.ListAsync(filter, count => { }, ct));
            }
            catch (JiraException e)
            {
                ThrowTerminating(e);
            }
            var pattern = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            var selected = rules.Where(r => pattern == null || pattern.IsMatch(r.Name ?? string.Empty)).ToList();
            if (Detailed || Uri != null)
            {
                var detailed = new List<JiraAutomationRule>();
                int done = 0;
                foreach (var summary in selected)
                {
                    WriteProgress(new ProgressRecord(ProgressId, "Reading automation rules", summary.Name) { PercentComplete = selected.Count == 0 ? 100 : 100 * done++ / selected.Count });
                    var rule = Try(ct => client.GetAsync(summary.Uuid, ct), summary.Uuid);
                    if (rule == null) continue;
                    if (Uri != null && !rule.WebRequestUrls.Any(u => JiraAutomationRuleWriter.SameUrl(u, Uri))) continue;
                    detailed.Add(rule);
                }
                CompleteProgress("Reading automation rules");
                selected = detailed;
            }
            Await(ct => Done(client.ResolveProjectKeysAsync(selected, ct)));
            foreach (var rule in selected) WriteObject(rule);
        }

        private static async System.Threading.Tasks.Task<object> Done(System.Threading.Tasks.Task task)
        {
            await task.ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Completes the friendly trigger names.</summary>
    public sealed class AutomationTriggerCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            var pattern = new WildcardPattern((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return Enum.GetNames(typeof(JiraWebhookRuleTrigger)).Where(n => pattern.IsMatch(n)).Select(n => new CompletionResult(n));
        }
    }
}

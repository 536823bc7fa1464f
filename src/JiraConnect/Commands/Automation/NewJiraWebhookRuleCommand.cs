using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using JiraConnect.Automation;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Creates (or brings up to date) the rule "WHEN issue event THEN Send web request" that delivers to a listener with a
    /// Hidden Authorization: Bearer header. Idempotent: a rule with the same name and scope is updated, not duplicated.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "JiraWebhookRule", HelpUri = JiraHelp.Root + "New-JiraWebhookRule.md", SupportsShouldProcess = true, DefaultParameterSetName = ProjectSet)]
    [OutputType(typeof(JiraAutomationRuleChange))]
    public sealed class NewJiraWebhookRuleCommand : JiraAutomationCmdlet
    {
        public const string ProjectSet = "Project";
        public const string SiteSet = "Site";

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ProjectSet)]
        [ValidateNotNullOrEmpty]
        public string[] ProjectKey { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = SiteSet)]
        public SwitchParameter SiteWide { get; set; }

        [Parameter]
        public JiraWebhookRuleTrigger[] Trigger { get; set; } = { JiraWebhookRuleTrigger.IssueCreated };

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string RawTrigger { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] FromStatus { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] ToStatus { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Field { get; set; }

        [Parameter(Mandatory = true)]
        [Alias("Url", "ListenerUrl")]
        [ValidateNotNull]
        public Uri Uri { get; set; }

        [Parameter]
        [ValidateNotNull]
        public SecureString Token { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; }

        [Parameter]
        [ValidateNotNull]
        public IDictionary Header { get; set; }

        [Parameter]
        [JiraWebhookBodyFormatTransformation]
        public JiraWebhookBodyFormat Body { get; set; } = JiraWebhookBodyFormat.JiraIssue;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CustomData { get; set; }

        [Parameter]
        [ValidateSet("POST", "PUT", "PATCH", "GET", "DELETE")]
        public string Method { get; set; } = "POST";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ActorAccountId { get; set; }

        [Parameter]
        public SwitchParameter ActorEventInitiator { get; set; }

        [Parameter]
        public string Description { get; set; } = "Managed by JiraConnect";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Label { get; set; }

        [Parameter]
        public SwitchParameter Enable { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var client = AutomationClient(Uri?.AbsoluteUri);
            var session = client.Session;
            string authorization = BearerValue(Credential, Token);
            var headers = JiraHeaderTable.ToHeaders(Header, out var hidden);
            if (CustomData != null && !MyInvocation.BoundParameters.ContainsKey(nameof(Body))) Body = JiraWebhookBodyFormat.Custom;
            if (RawTrigger != null && MyInvocation.BoundParameters.ContainsKey(nameof(Trigger)))
                ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "-Trigger and -RawTrigger cannot be used together.", "RawTrigger", "Pass one trigger: a name with -Trigger, or a trigger component as JSON with -RawTrigger.");

            List<string> filters = new List<string>();
            List<string> scope = null;
            try
            {
                if (SiteWide) scope = new List<string> { Await(ct => client.SiteAriAsync(ct)) };
                else
                {
                    foreach (var key in ProjectKey.Distinct(StringComparer.OrdinalIgnoreCase)) filters.Add(Await(ct => client.ProjectAriAsync(key, ct)));
                    scope = filters;
                }
            }
            catch (JiraException e)
            {
                ThrowTerminating(e);
            }

            var triggers = RawTrigger != null ? new JiraWebhookRuleTrigger?[] { null } : Trigger.Distinct().Select(t => (JiraWebhookRuleTrigger?)t).ToArray();
            foreach (var trigger in triggers)
            {
                var definition = new JiraWebhookRuleDefinition
                {
                    Name = triggers.Length > 1 ? $"{Name} ({trigger})" : Name,
                    Description = Description,
                    ScopeAris = scope,
                    EventFilters = filters,
                    Trigger = trigger,
                    RawTriggerJson = RawTrigger,
                    FromStatus = FromStatus ?? new string[0],
                    ToStatus = ToStatus ?? new string[0],
                    Fields = Field ?? new string[0],
                    Url = Uri,
                    Method = Method,
                    AuthorizationValue = authorization,
                    Headers = headers,
                    HiddenHeaders = hidden,
                    Body = Body,
                    CustomBody = CustomData,
                    ActorType = ActorEventInitiator ? "EVENT_INITIATOR" : "ACCOUNT_ID",
                    ActorAccountId = ActorAccountId ?? session.User?.AccountId,
                    AuthorAccountId = session.User?.AccountId,
                    Labels = Label ?? new string[0],
                };
                JiraAutomationRulePlan plan = null;
                try
                {
                    plan = Await(ct => JiraAutomationRuleWriter.PlanWebhookRuleAsync(client, definition, Force, ct));
                }
                catch (JiraException e) when (e.Kind == JiraErrorKind.InvalidArgument)
                {
                    ThrowTerminating(e, definition.Name);
                }
                catch (JiraException e)
                {
                    WriteError(e, definition.Name);
                    continue;
                }
                if (plan.Action == JiraAutomationRuleAction.Unchanged && (!Enable || IsEnabled(plan)))
                {
                    WriteObject(plan.Unchanged());
                    continue;
                }
                string verb = plan.Action == JiraAutomationRuleAction.Created ? "Create" : plan.Action == JiraAutomationRuleAction.Updated ? "Update" : "Enable";
                if (!ShouldProcess($"{verb} the automation rule '{plan.Name}'{(Enable ? " and enable it" : string.Empty)}:{Environment.NewLine}{plan.MaskedJson}",
                    $"{verb} the automation rule '{plan.Name}'{(Enable ? " and enable it" : string.Empty)}?", "New-JiraWebhookRule"))
                    continue;
                var change = Try(ct => JiraAutomationRuleWriter.ApplyAsync(client, plan, Enable, ct), plan.Name);
                if (change != null) WriteObject(change);
            }
        }

        private static bool IsEnabled(JiraAutomationRulePlan plan) => plan.State == "ENABLED";
    }

    /// <summary>Header tables of the rule cmdlets: SecureString values become hidden headers.</summary>
    internal static class JiraHeaderTable
    {
        public static IDictionary<string, string> ToHeaders(IDictionary table, out ICollection<string> hiddenNames)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var hidden = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            hiddenNames = hidden;
            if (table == null) return headers;
            foreach (DictionaryEntry entry in table)
            {
                object value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
                string name = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture);
                if (value is SecureString secure)
                {
                    headers[name] = new PSCredential("header", secure).GetNetworkCredential().Password;
                    hidden.Add(name);
                }
                else
                {
                    headers[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    if (JiraConnect.Security.Redactor.IsSecretNamedHeader(name)) hidden.Add(name);
                }
            }
            return headers;
        }
    }
}

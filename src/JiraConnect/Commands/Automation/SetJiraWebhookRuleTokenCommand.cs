using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using JiraConnect.Automation;
using JiraConnect.Webhooks;
using static JiraConnect.Commands.CredentialParameters;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Replaces the Hidden Authorization header of Send web request actions: in every piped rule, or in every rule that sends
    /// to -Uri. The old value is never read; -Verify proves the new token with a test delivery.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "JiraWebhookRuleToken", HelpUri = JiraHelp.Root + "Set-JiraWebhookRuleToken.md", SupportsShouldProcess = true, DefaultParameterSetName = UriSet)]
    [OutputType(typeof(JiraAutomationRuleChange))]
    public sealed class SetJiraWebhookRuleTokenCommand : JiraAutomationCmdlet
    {
        public const string UuidSet = "Uuid";
        public const string UriSet = "Uri";

        [Parameter(Mandatory = true, ParameterSetName = UuidSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Uuid { get; set; }

        [Parameter(ParameterSetName = UuidSet)]
        [Parameter(Mandatory = true, ParameterSetName = UriSet)]
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
        public SwitchParameter Verify { get; set; }

        protected override void BeginProcessing()
        {
            if (ChooseToken(this, Credential, Token) == null)
                ThrowTerminating(JiraErrorId.CredentialEmpty, JiraErrorKind.InvalidArgument,
                    "The new listener token is missing or empty.", "Token", "Pass the new token with -Token (a SecureString) or as the password of -Credential.");
        }

        protected override void ProcessRecord()
        {
            var client = AutomationClient(Uri?.AbsoluteUri);
            IEnumerable<string> uuids = Uuid;
            if (ParameterSetName == UriSet)
            {
                var all = Try(ct => client.ListAsync(null, null, ct), Uri) ?? new JiraAutomationRule[0];
                var matching = new List<string>();
                foreach (var summary in all)
                {
                    var rule = Try(ct => client.GetAsync(summary.Uuid, ct), summary.Uuid);
                    if (rule != null && rule.WebRequestUrls.Any(u => JiraAutomationRuleWriter.SameUrl(u, Uri))) matching.Add(rule.Uuid);
                }
                if (matching.Count == 0) WriteWarning($"No automation rule sends a web request to {Uri}.");
                uuids = matching;
            }
            foreach (var uuid in uuids) Replace(client, uuid);
        }

        private void Replace(JiraAutomationClient client, string uuid)
        {
            string authorization = BearerValue(Credential, Token);
            var plan = Try(ct => JiraAutomationRuleWriter.PlanTokenReplacementAsync(client, uuid, Uri, authorization, ct), uuid);
            if (plan == null) return;
            if (plan.Action == JiraAutomationRuleAction.Unchanged)
            {
                WriteWarning($"The automation rule '{plan.Name}' ({uuid}) has no Send web request action{(Uri != null ? " to " + Uri : string.Empty)}; nothing was changed.");
                WriteObject(plan.Unchanged());
                return;
            }
            if (!ShouldProcess($"Replace the Hidden Authorization header of the automation rule '{plan.Name}' ({uuid}):{Environment.NewLine}{plan.MaskedJson}",
                $"Replace the listener token of '{plan.Name}'?", "Set-JiraWebhookRuleToken")) return;
            var change = Try(ct => JiraAutomationRuleWriter.ApplyTokenReplacementAsync(client, plan, ct), uuid);
            if (change == null) return;
            if (Verify) change.Verified = VerifyDelivery(client, uuid);
            WriteObject(change);
        }

        /// <summary>A test delivery with the new token to each URL of the rule's web requests (to -Uri only, when given).</summary>
        private bool VerifyDelivery(JiraAutomationClient client, string uuid)
        {
            var rule = Try(ct => client.GetAsync(uuid, ct), uuid);
            if (rule == null) return false;
            bool all = true;
            foreach (var url in rule.WebRequestUrls.Where(u => Uri == null || JiraAutomationRuleWriter.SameUrl(u, Uri)).Distinct())
            {
                var request = new JiraWebhookRequest
                {
                    Uri = new Uri(url),
                    Payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.JiraIssue, RuleName = rule.Name }),
                    Token = ChooseToken(this, Credential, Token),
                    AllowUnencryptedAuthentication = new Uri(url).IsLoopback,
                };
                var result = Await(ct => JiraWebhookSender.SendAsync(request, ct));
                WriteVerbose($"Test delivery to {result.Uri}: {result.Verdict}");
                if (!result.Succeeded)
                {
                    all = false;
                    WriteWarning($"The test delivery with the new token to {url} failed: {result.Verdict}");
                }
            }
            return all;
        }
    }
}

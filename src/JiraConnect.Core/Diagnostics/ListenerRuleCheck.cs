using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Automation;

namespace JiraConnect.Diagnostics
{
    /// <summary>
    /// ListenerRule: on Jira Cloud, at least one enabled Automation rule sends its web request to the listener URL with
    /// an Authorization header (read through the Automation Rule Management API, which takes an account's API token).
    /// </summary>
    internal sealed class ListenerRuleCheck : ICheckFamily
    {
        private const string Name = JiraConnectionCheckNames.ListenerRule;

        public string Activity => "Looking for the Automation rule that sends to the listener";

        public IReadOnlyList<string> Names { get; } = new[] { Name };

        public async Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct) =>
            new[] { await CheckAsync(context, ct).ConfigureAwait(false) };

        private static async Task<JiraConnectionCheck> CheckAsync(DiagnosticsContext context, CancellationToken ct)
        {
            var url = context.Options.ListenerUrl;
            var session = context.Session;
            if (url == null || !url.IsAbsoluteUri) return Check.NotApplicable(Name, "No -ListenerUrl was given.", null);
            string target = Security.Redactor.Url(url);
            if (session == null || !context.CredentialsOk) return context.Skipped(Name, "Needs valid credentials.", target);
            if (!session.IsCloud)
                return Check.NotApplicable(Name, "Jira Data Center has no rule API: check by hand that an enabled Automation rule sends to " + target + " with a hidden Authorization header.", target);
            if (session.Authentication != JiraAuthenticationType.ApiToken)
                return Check.NotApplicable(Name, "The Automation Rule Management API takes an account's API token; this session uses " + session.AuthenticationType + ".", target);

            try
            {
                var client = new JiraAutomationClient(session);
                var summaries = await client.ListAsync(new JiraAutomationRuleFilter(), null, ct).ConfigureAwait(false);
                var sending = new List<JiraAutomationRule>();
                foreach (var summary in summaries)
                {
                    var rule = await client.GetAsync(summary.Uuid, ct).ConfigureAwait(false);
                    if (rule.WebRequestUrls.Any(u => JiraAutomationRuleWriter.SameUrl(u, url))) sending.Add(rule);
                }
                var ready = sending.Where(r => r.Enabled && r.HasAuthorizationHeader == true).ToList();
                if (ready.Count > 0)
                    return Check.Pass(Name, $"{ready.Count} enabled rule(s) send to {target} with an Authorization header: " + string.Join(", ", ready.Select(r => "'" + r.Name + "'")) + ".", target);
                string found = sending.Count == 0 ? $"No Automation rule sends to {target}."
                    : $"{sending.Count} rule(s) send to {target}, but none is enabled with an Authorization header.";
                return Check.Warn(Name, found,
                    $"Create the rule: New-JiraWebhookRule -Name 'Integration: issue events' -ProjectKey <keys> -Trigger IssueCreated -Uri '{target}' -Token <listener token> -Enable"
                    + (sending.Count == 0 ? string.Empty : "; or enable it and set its token: Get-JiraAutomationRule -Uri '" + target + "' | Set-JiraWebhookRuleToken -Token <listener token>"), target);
            }
            catch (JiraException e) when (e.Kind != JiraErrorKind.OperationStopped)
            {
                return Check.Warn(Name, "The Automation rules could not be read: " + e.Message,
                    "Run the check with a site administrator's API token, or check the rule in Jira (Project settings → Automation).", target);
            }
        }
    }
}

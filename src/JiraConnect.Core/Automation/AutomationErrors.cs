using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using JiraConnect.Security;

namespace JiraConnect.Automation
{
    /// <summary>The automation rule API's failures as ErrorIds with what to do next.</summary>
    public static class AutomationErrors
    {
        public const string ApiTokenUrl = "https://id.atlassian.com/manage-profile/security/api-tokens";

        /// <summary>The manual steps on Jira Data Center, where no public rule API exists.</summary>
        public static string ManualSteps(string listenerUrl = null)
        {
            string url = string.IsNullOrEmpty(listenerUrl) ? "<listener URL>" : listenerUrl;
            return "Jira Data Center has no public Automation rule API; set the rule up by hand: "
                + "1) Administration → System → Allowlist: add an entry of type Exact URL (or Domain name) for " + url + " and save. "
                + "2) Project settings → Automation (or Administration → System → Automation rules) → Create rule. "
                + "3) Trigger: Issue created (and/or Issue transitioned). "
                + "4) Action: Send web request, Web request URL " + url + ", HTTP method POST, Web request body: Issue data (or Custom data). "
                + "5) Headers: Authorization = Bearer <listener token>, tick Hidden. "
                + "6) Name the rule, Save, and Turn it on. Then prove it with Test-JiraConnection -WebhookUrl " + url + ".";
        }

        public static JiraException DataCenter(Uri siteUrl, string listenerUrl = null) =>
            new JiraException(JiraErrorId.AutomationRuleApiUnavailable, JiraErrorKind.InvalidOperation,
                "Automation rules can't be managed through an API on Jira Server / Data Center: Atlassian publishes the Automation Rule Management API for Jira Cloud only.",
                siteUrl?.ToString(), ManualSteps(listenerUrl));

        public static JiraException ApiTokenRequired(JiraSession session) =>
            new JiraException(JiraErrorId.AutomationApiTokenRequired, JiraErrorKind.Authentication,
                $"The Automation Rule Management API takes an account's API token (Basic), and the session '{session.Name}' authenticates with "
                + (session.Authentication == JiraAuthenticationType.OAuth ? "an OAuth 2.0 token, which Atlassian refuses for rule operations." : "a scoped API token, which the API does not accept."),
                session.Name,
                "Connect a session with an administrator's email address and an unscoped API token (Connect-JiraSite -Url https://<site>.atlassian.net -Credential <email + API token>, token from "
                + ApiTokenUrl + ") and pass it with -Session.");

        /// <summary>Rewrites the generic mapping of an answer from the rule API.</summary>
        internal static JiraException Map(JiraApiException e, HttpMethod method, Uri url)
        {
            string target = Redactor.Url(url);
            string says = e.ErrorMessages.Count > 0 ? " Jira says: " + string.Join(" ", e.ErrorMessages) : string.Empty;
            switch ((int)e.StatusCode)
            {
                case 401:
                    return new JiraAuthenticationException(JiraErrorId.AutomationAuthenticationFailed, e.StatusCode,
                        "The automation rule API rejected the credentials (401)." + says, target, e.ErrorMessages, e.Errors,
                        "API tokens expire (at most a year after creation): create a new one at " + ApiTokenUrl + " and connect again. Scoped API tokens and OAuth tokens are not accepted by this API.");
                case 403:
                    return new JiraPermissionException(JiraErrorId.AutomationPermissionDenied, e.StatusCode,
                        "The automation rule API refused the request (403): the account is not authenticated or is not a site (global) administrator." + says,
                        target, e.ErrorMessages, e.Errors,
                        "Use an account that is a Jira administrator of the site (Administration → User management → product access: Jira admin).");
                case 404:
                    return new JiraNotFoundException(JiraErrorId.AutomationRuleNotFound,
                        "No automation rule (or no rule API) at this address (404)." + says, target, e.ErrorMessages, e.Errors,
                        "Check the rule's uuid with Get-JiraAutomationRule.");
                case 400:
                    bool unparsed = e.ErrorMessages.Any(m => m.IndexOf("could not be parsed", StringComparison.OrdinalIgnoreCase) >= 0);
                    return new JiraApiException(JiraErrorId.AutomationRuleInvalid, JiraErrorKind.InvalidArgument, e.StatusCode,
                        "The automation rule API rejected the request (400)." + says, target, e.ErrorMessages, e.Errors,
                        unparsed
                            ? "Send the whole rule inside {\"rule\":{…},\"connections\":[…]} with name, state, notifyOnError, canOtherRuleTrigger, authorAccountId, actor, writeAccessType, trigger, components and ruleScopeARIs (as Get-JiraAutomationRule -Detailed returns it)."
                            : "Correct what Jira names in its message.");
                default:
                    return e;
            }
        }
    }
}

using System;
using System.Management.Automation;
using System.Security;
using JiraConnect.Automation;
using static JiraConnect.Commands.CredentialParameters;

namespace JiraConnect.Commands
{
    /// <summary>Base of the automation rule cmdlets: the rule API client of the session, refused before any request where the API can't be used.</summary>
    public abstract class JiraAutomationCmdlet : JiraApiCmdlet
    {
        private JiraAutomationClient _client;

        /// <summary>The client for the session; terminates with AutomationApiTokenRequired or AutomationRuleApiUnavailable.</summary>
        protected JiraAutomationClient AutomationClient(string listenerUrl = null)
        {
            if (_client != null) return _client;
            var session = ResolveSession();
            try
            {
                _client = new JiraAutomationClient(session);
            }
            catch (JiraException e)
            {
                if (e.ErrorId == JiraErrorId.AutomationRuleApiUnavailable && listenerUrl != null)
                    e = AutomationErrors.DataCenter(session.SiteUrl, listenerUrl);
                ThrowTerminating(e);
            }
            return _client;
        }

        /// <summary>Runs a rule operation; a failure of this item is written as an error and null returned.</summary>
        protected T Try<T>(Func<System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> operation, object target) where T : class
        {
            try
            {
                return Await(operation);
            }
            catch (JiraException e) when (e.ErrorId == JiraErrorId.AutomationAuthenticationFailed || e.ErrorId == JiraErrorId.AutomationCloudIdNotFound
                || e is JiraConnectionException)
            {
                ThrowTerminating(e, target);
            }
            catch (JiraException e)
            {
                WriteError(e, target);
            }
            return null;
        }

        /// <summary>"Bearer &lt;token&gt;" from -Token or the password of -Credential (unwrapped here, at the moment of use).</summary>
        protected string BearerValue(PSCredential credential, SecureString token)
        {
            var secret = ChooseToken(this, credential, token);
            return secret == null ? null : "Bearer " + new PSCredential("token", secret).GetNetworkCredential().Password;
        }

        /// <summary>Warns about hidden headers whose value is masked in the JSON (they can't be exported).</summary>
        protected void WarnAboutMaskedHeaders(string json)
        {
            if (json != null && json.IndexOf("\"***\"", StringComparison.Ordinal) >= 0)
                WriteWarning("The rule JSON holds masked hidden header values (***): Jira never returns them. Set the real value afterwards with Set-JiraWebhookRuleToken (Authorization) or edit the rule in Jira.");
        }
    }

    /// <summary>Turns the friendly trigger names into component types: IssueCreated, IssueTransitioned, FieldValueChanged, SlaThresholdBreached.</summary>
    internal static class AutomationTriggerNames
    {
        public static string ToType(string name)
        {
            if (string.IsNullOrEmpty(name)) return null;
            switch (name.Trim().ToLowerInvariant())
            {
                case "issuecreated": return AutomationRuleJsonTypes.Created;
                case "issuetransitioned": return AutomationRuleJsonTypes.Transitioned;
                case "fieldvaluechanged": return AutomationRuleJsonTypes.FieldChanged;
                case "slathresholdbreached": return AutomationRuleJsonTypes.Sla;
                default: return name.Trim();
            }
        }
    }

    internal static class AutomationRuleJsonTypes
    {
        public const string Created = "jira.issue.event.trigger:created";
        public const string Transitioned = "jira.issue.event.trigger:transitioned";
        public const string FieldChanged = "jira.issue.field.changed";
        public const string Sla = "jira.sla.threshold.trigger";
    }
}

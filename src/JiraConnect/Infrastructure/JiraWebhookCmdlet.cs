using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using JiraConnect.Webhooks;

namespace JiraConnect.Commands
{
    /// <summary>Base of the webhook cmdlets: builds payloads from an issue, an issue key or the sample, and reads tokens.</summary>
    public abstract class JiraWebhookCmdlet : JiraApiCmdlet
    {
        /// <summary>The issue events an admin webhook can carry, for ValidateSet.</summary>
        protected const string IssueCreated = JiraWebhookPayloadBuilder.IssueCreated;
        protected const string IssueUpdated = JiraWebhookPayloadBuilder.IssueUpdated;
        protected const string IssueDeleted = JiraWebhookPayloadBuilder.IssueDeleted;

        /// <summary>
        /// A payload request from the cmdlet's inputs: an issue fetched by key through the session, an issue object
        /// (or a project, for the sample in that project), or the built-in sample.
        /// </summary>
        protected JiraWebhookPayloadRequest CreatePayloadRequest(JiraWebhookBodyFormat format, object issue, string issueKey,
            object customData, bool encodeAsForm, string webhookEvent, string webhookIdentifier)
        {
            var request = new JiraWebhookPayloadRequest
            {
                Format = format,
                CustomData = customData == null ? null : PSObjectConverter.ToPlainValue(customData),
                EncodeAsForm = encodeAsForm,
                WebhookEvent = webhookEvent ?? IssueCreated,
                WebhookIdentifier = webhookIdentifier,
            };
            if (!string.IsNullOrEmpty(issueKey))
            {
                var session = ResolveSession();
                request.Issue = Await(ct => JiraIssueSource.GetIssueAsync(session, issueKey, ct));
                request.User = JiraIssueSource.UserOf(session);
                return request;
            }
            object value = issue is PSObject ps ? ps.BaseObject : issue;
            if (value is JiraProject project)
                request.Project = project;
            else if (value != null)
                request.Issue = JiraWebhookPayloadBuilder.ReadIssue(PSObjectConverter.ToPlainValue(issue));
            return request;
        }

        /// <summary>
        /// Builds the payload; null after writing the error of this item (an issue that can't be read or fetched).
        /// Template errors and parameter combinations Jira doesn't offer are terminating.
        /// </summary>
        protected JiraWebhookPayload BuildPayload(JiraWebhookBodyFormat format, object issue, string issueKey,
            object customData, bool encodeAsForm, string webhookEvent, string webhookIdentifier)
        {
            try
            {
                var request = CreatePayloadRequest(format, issue, issueKey, customData, encodeAsForm, webhookEvent, webhookIdentifier);
                return JiraWebhookPayloadBuilder.Build(request);
            }
            catch (JiraTemplateException e)
            {
                ThrowTerminating(e, customData);
            }
            catch (JiraException e) when (e.ErrorId == JiraErrorId.ParameterNotSupported)
            {
                ThrowTerminating(e);
            }
            catch (JiraException e)
            {
                // This item fails; the next one may not.
                WriteError(e, (object)issueKey ?? issue);
            }
            return null;
        }

        /// <summary>
        /// A header table as name/value pairs (values converted to text); the names of SecureString values go to
        /// <paramref name="secretNames"/>, so they are masked wherever headers are shown.
        /// </summary>
        protected static IDictionary<string, string> ToHeaders(IDictionary table, out ICollection<string> secretNames)
        {
            secretNames = null;
            if (table == null) return null;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var secrets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in table)
            {
                object value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
                string name = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture);
                if (value is SecureString secure)
                {
                    headers[name] = new PSCredential("header", secure).GetNetworkCredential().Password;
                    secrets.Add(name);
                }
                else
                {
                    headers[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            secretNames = secrets;
            return headers;
        }
    }

    /// <summary>Lets -Body and -Format take the short names Automation, Jira, ServiceDesk and Admin as well.</summary>
    public sealed class JiraWebhookBodyFormatTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (!(value is string text)) return value;
            switch (text.Trim().ToLowerInvariant())
            {
                case "automation": return JiraWebhookBodyFormat.AutomationIssue;
                case "jira": return JiraWebhookBodyFormat.JiraIssue;
                case "servicedesk":
                case "jsm": return JiraWebhookBodyFormat.ServiceManagement;
                case "system":
                case "admin": return JiraWebhookBodyFormat.SystemWebhook;
                case "sla": return JiraWebhookBodyFormat.SlaBreached;
                default: return value;
            }
        }
    }
}

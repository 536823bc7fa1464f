using System;
using System.Collections.Generic;
using System.Text;
using JiraConnect.Json;

namespace JiraConnect
{
    /// <summary>The body options of Jira Automation's "Send web request" action, plus an admin (system) webhook.</summary>
    public enum JiraWebhookBodyFormat
    {
        /// <summary>No body.</summary>
        Empty,
        /// <summary>Issue data (Automation format): the bare issue object.</summary>
        AutomationIssue,
        /// <summary>Issue data (Jira format): {"issue":{…}}.</summary>
        JiraIssue,
        /// <summary>Jira Service Management's webhook action: {"issue":{…},"timestamp":…}.</summary>
        ServiceManagement,
        /// <summary>An admin webhook: webhookEvent, issue_event_type_name, timestamp, user, issue, changelog.</summary>
        SystemWebhook,
        /// <summary>Custom data built from smart values.</summary>
        Custom,
        /// <summary>
        /// Issue data (Jira format) of a Service Management request whose SLA was just breached, as a rule with the
        /// SLA threshold breached trigger sends it: {"issue":{…}} with the SLA field's ongoing cycle breached.
        /// </summary>
        SlaBreached,
    }

    /// <summary>A request body exactly as Jira would send it, with the headers that belong to it.</summary>
    public sealed class JiraWebhookPayload
    {
        private object _json;
        private bool _parsed;

        internal JiraWebhookPayload(JiraWebhookBodyFormat format, string contentType, string body, string issueKey,
            string webhookEvent, string webhookIdentifier, DateTimeOffset createdAt, IReadOnlyDictionary<string, string> headers)
        {
            FormatKind = format;
            ContentType = contentType;
            Body = body ?? string.Empty;
            IssueKey = issueKey;
            WebhookEvent = webhookEvent;
            WebhookIdentifier = webhookIdentifier;
            CreatedAt = createdAt;
            Headers = headers ?? new Dictionary<string, string>();
        }

        /// <summary>The body format's name (a <see cref="JiraWebhookBodyFormat"/> name).</summary>
        public string Format => FormatKind.ToString();
        internal JiraWebhookBodyFormat FormatKind { get; }

        /// <summary>application/json, application/x-www-form-urlencoded, or null for an empty body.</summary>
        public string ContentType { get; }

        /// <summary>The body text, sent as UTF-8.</summary>
        public string Body { get; }

        /// <summary>The body's size in bytes.</summary>
        public int Length => Encoding.UTF8.GetByteCount(Body);

        public string IssueKey { get; }

        /// <summary>The admin webhook's event (jira:issue_created, …); null for the other formats.</summary>
        public string WebhookEvent { get; }

        /// <summary>The X-Atlassian-Webhook-Identifier of an admin webhook; null for the other formats.</summary>
        public string WebhookIdentifier { get; }

        public DateTimeOffset CreatedAt { get; }

        /// <summary>Headers that belong to the body (admin webhooks: X-Atlassian-Webhook-Identifier and -Flow).</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The body parsed as JSON (dictionaries, arrays and values), or null when it is empty or not JSON.</summary>
        public object Json
        {
            get
            {
                if (!_parsed)
                {
                    _json = Webhooks.WebhookContent.TryParseJson(Encoding.UTF8.GetBytes(Body));
                    _parsed = true;
                }
                return _json;
            }
        }

        public override string ToString() => Body;
    }
}

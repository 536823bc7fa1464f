using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Text;
using JiraConnect.Http.Wire;
using JiraConnect.Json;

namespace JiraConnect.Webhooks
{
    /// <summary>What to build a webhook body from.</summary>
    public sealed class JiraWebhookPayloadRequest
    {
        public JiraWebhookBodyFormat Format { get; set; } = JiraWebhookBodyFormat.JiraIssue;

        /// <summary>The issue as plain values (see <see cref="JiraWebhookPayloadBuilder.ReadIssue"/>); null for the built-in sample.</summary>
        public object Issue { get; set; }

        /// <summary>With no <see cref="Issue"/>: the sample issue moves into this project.</summary>
        public JiraProject Project { get; set; }

        /// <summary>The account behind the event (an admin webhook's "user", the {{initiator}} smart value); null for the sample user.</summary>
        public object User { get; set; }

        /// <summary>The admin webhook's event: jira:issue_created, jira:issue_updated or jira:issue_deleted.</summary>
        public string WebhookEvent { get; set; } = JiraWebhookPayloadBuilder.IssueCreated;

        /// <summary>Custom data: a template string, or dictionaries and lists whose strings are templates.</summary>
        public object CustomData { get; set; }

        /// <summary>Send custom data as application/x-www-form-urlencoded.</summary>
        public bool EncodeAsForm { get; set; }

        /// <summary>The X-Atlassian-Webhook-Identifier of an admin webhook; null for a new one.</summary>
        public string WebhookIdentifier { get; set; }

        /// <summary>The event's time; null for now.</summary>
        public DateTimeOffset? Timestamp { get; set; }

        /// <summary>The {{rule.name}} smart value.</summary>
        public string RuleName { get; set; }
    }

    /// <summary>Builds each body of Jira's "Send web request" action and of admin webhooks, as Jira would send it.</summary>
    public static class JiraWebhookPayloadBuilder
    {
        public const string IssueCreated = "jira:issue_created";
        public const string IssueUpdated = "jira:issue_updated";
        public const string IssueDeleted = "jira:issue_deleted";
        public const string JsonContentType = "application/json";
        public const string FormContentType = "application/x-www-form-urlencoded";
        public const string IdentifierHeader = "X-Atlassian-Webhook-Identifier";
        public const string FlowHeader = "X-Atlassian-Webhook-Flow";
        public const string RetryHeader = "X-Atlassian-Webhook-Retry";

        public static IReadOnlyList<string> WebhookEvents { get; } = new[] { IssueCreated, IssueUpdated, IssueDeleted };

        public static JiraWebhookPayload Build(JiraWebhookPayloadRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            CheckCombination(request);
            var issue = request.Issue ?? JiraWebhookSample.Issue(request.Project);
            var user = request.User ?? JiraWebhookSample.User(request.Project);
            var now = request.Timestamp ?? DateTimeOffset.UtcNow;
            long timestamp = now.ToUnixTimeMilliseconds();
            string webhookEvent = request.WebhookEvent ?? IssueCreated;
            string key = WebhookTree.Text(issue, "key");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

            switch (request.Format)
            {
                case JiraWebhookBodyFormat.Empty:
                    return new JiraWebhookPayload(request.Format, null, string.Empty, key, null, null, now, headers);
                case JiraWebhookBodyFormat.AutomationIssue:
                    return Json(request.Format, issue, key, now, headers);
                case JiraWebhookBodyFormat.JiraIssue:
                    return Json(request.Format, JiraWebhookSample.Map("issue", issue), key, now, headers);
                case JiraWebhookBodyFormat.SlaBreached:
                    return Json(request.Format, JiraWebhookSample.Map("issue", JiraWebhookSample.WithBreachedSla(issue, now)), key, now, headers);
                case JiraWebhookBodyFormat.ServiceManagement:
                    return Json(request.Format, JiraWebhookSample.Map("issue", issue, "timestamp", timestamp), key, now, headers);
                case JiraWebhookBodyFormat.SystemWebhook:
                    string identifier = string.IsNullOrWhiteSpace(request.WebhookIdentifier) ? NewIdentifier() : request.WebhookIdentifier.Trim();
                    headers[IdentifierHeader] = identifier;
                    headers[FlowHeader] = "Primary";
                    var body = JiraWebhookSample.Map(
                        "timestamp", timestamp,
                        "webhookEvent", webhookEvent,
                        "issue_event_type_name", EventTypeName(webhookEvent),
                        "user", user,
                        "issue", issue,
                        "changelog", Changelog(issue, webhookEvent));
                    return new JiraWebhookPayload(request.Format, JsonContentType, WebhookTree.ToJson(body), key, webhookEvent, identifier, now, headers);
                case JiraWebhookBodyFormat.Custom:
                    var context = new SmartValueContext(issue, user, Changelog(issue, webhookEvent), now, request.RuleName);
                    string text = RenderCustom(request.CustomData, context, request.EncodeAsForm);
                    return new JiraWebhookPayload(request.Format, request.EncodeAsForm ? FormContentType : JsonContentType, text, key, null, null, now, headers);
                default:
                    throw new ArgumentOutOfRangeException(nameof(request), request.Format, "Unknown body format.");
            }
        }

        /// <summary>A new X-Atlassian-Webhook-Identifier.</summary>
        public static string NewIdentifier() => Guid.NewGuid().ToString();

        /// <summary>
        /// Turns an issue as the user has it into plain values: a dictionary (Invoke-JiraRestMethod output, a
        /// hashtable) or JSON text; a Jira-format body ({"issue":{…}}) is unwrapped. Throws InvalidIssueInput.
        /// </summary>
        public static OrderedDictionary ReadIssue(object input)
        {
            object value = input;
            if (value is string text)
            {
                value = WebhookContent.TryParseJson(Encoding.UTF8.GetBytes(WebhookTree.Sanitize(text)));
                if (value == null) throw InvalidIssue("The issue text is not a JSON object.", Trim(text));
            }
            value = WebhookTree.Normalize(value);
            if (value is OrderedDictionary wrapped && !wrapped.Contains("key") && wrapped["issue"] is OrderedDictionary inner)
                value = inner;
            if (!(value is OrderedDictionary issue))
                throw InvalidIssue("The issue must be an object with 'key' and 'fields', as Jira's REST API returns it.", null);
            if (!(issue["key"] is string key) || key.Length == 0)
                throw InvalidIssue("The issue has no 'key'. Pass an issue as Jira's REST API returns it (GET /rest/api/2/issue/{key}).", null);
            return issue;
        }

        /// <summary>The issue_event_type_name Jira pairs with a webhook event.</summary>
        public static string EventTypeName(string webhookEvent)
        {
            switch ((webhookEvent ?? string.Empty).ToLowerInvariant())
            {
                case IssueUpdated: return "issue_generic";
                case IssueDeleted: return "issue_deleted";
                default: return "issue_created";
            }
        }

        private static JiraWebhookPayload Json(JiraWebhookBodyFormat format, object body, string key, DateTimeOffset now, Dictionary<string, string> headers) =>
            new JiraWebhookPayload(format, JsonContentType, WebhookTree.ToJson(body), key, null, null, now, headers);

        private static void CheckCombination(JiraWebhookPayloadRequest request)
        {
            if (request.Format == JiraWebhookBodyFormat.Custom && request.CustomData == null)
                throw Unsupported("The Custom body needs custom data: a template such as '{\"key\":\"{{issue.key}}\"}', or a hashtable whose values are templates.", "CustomData",
                    "Pass -CustomData, or choose another -Body.");
            if (request.Format != JiraWebhookBodyFormat.Custom && request.CustomData != null)
                throw Unsupported($"Custom data is only sent with the Custom body, not with {request.Format}.", "CustomData", "Add -Body Custom, or leave out -CustomData.");
            if (request.Format != JiraWebhookBodyFormat.Custom && request.EncodeAsForm)
                throw Unsupported($"Jira encodes only custom data as a form, not {request.Format}.", "EncodeAsForm", "Use -EncodeAsForm with -Body Custom.");
            if (request.Format != JiraWebhookBodyFormat.SystemWebhook && !string.IsNullOrWhiteSpace(request.WebhookIdentifier))
                throw Unsupported($"A webhook identifier belongs to admin webhooks (SystemWebhook), not to {request.Format}.", "WebhookIdentifier",
                    "Use SystemWebhook, or leave the identifier out.");
            if (!WebhookEvents.Contains(request.WebhookEvent ?? IssueCreated, StringComparer.OrdinalIgnoreCase))
                throw Unsupported($"'{request.WebhookEvent}' is not an issue event JiraConnect can build.", "WebhookEvent", "Use " + string.Join(", ", WebhookEvents) + ".");
        }

        private static OrderedDictionary Changelog(object issue, string webhookEvent)
        {
            var changelog = JiraWebhookSample.Changelog(webhookEvent);
            if (!string.Equals(webhookEvent, IssueUpdated, StringComparison.OrdinalIgnoreCase)) return changelog;
            // The status change ends in the issue's current status.
            var status = WebhookTree.Member(WebhookTree.Member(issue, "fields"), "status");
            if (status is IDictionary && changelog["items"] is object[] items && items.Length > 0 && items[0] is OrderedDictionary item)
            {
                item["to"] = WebhookTree.Text(status, "id") ?? item["to"];
                item["toString"] = WebhookTree.Text(status, "name") ?? item["toString"];
            }
            return changelog;
        }

        private static string RenderCustom(object data, SmartValueContext context, bool form)
        {
            if (data is string template) return JiraSmartValue.Render(template, context);
            object rendered = RenderValues(WebhookTree.Normalize(data), context);
            if (!form) return WebhookTree.ToJson(rendered);
            if (!(rendered is IDictionary fields))
                throw Unsupported("Form data needs names and values: pass a hashtable (or a template text such as 'key={{issue.key}}').", "CustomData", "Pass -CustomData @{ key = '{{issue.key}}' }.");
            var text = new StringBuilder();
            foreach (DictionaryEntry field in fields)
            {
                var values = field.Value is object[] list ? list : new[] { field.Value };
                foreach (var value in values)
                {
                    if (text.Length > 0) text.Append('&');
                    text.Append(FormCodec.Encode(Convert.ToString(field.Key, CultureInfo.InvariantCulture), true)).Append('=')
                        .Append(FormCodec.Encode(value is IDictionary ? WebhookTree.ToJson(value) : JiraSmartValue.ToText(value), true));
                }
            }
            return text.ToString();
        }

        /// <summary>Renders every string inside dictionaries and lists as a template.</summary>
        private static object RenderValues(object value, SmartValueContext context)
        {
            switch (value)
            {
                case string template: return JiraSmartValue.Render(template, context);
                case OrderedDictionary map:
                    var result = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                    foreach (DictionaryEntry entry in map) result[entry.Key] = RenderValues(entry.Value, context);
                    return result;
                case object[] list: return list.Select(item => RenderValues(item, context)).ToArray();
                default: return value;
            }
        }

        private static string Trim(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "…";

        private static JiraException InvalidIssue(string message, string target) =>
            new JiraException(JiraErrorId.InvalidIssueInput, JiraErrorKind.InvalidArgument, message, target,
                "Pipe an issue from Invoke-JiraRestMethod (for example Invoke-JiraRestMethod issue/IT-4), use -IssueKey, or leave -Issue out for the built-in sample.");

        private static JiraException Unsupported(string message, string target, string action) =>
            new JiraException(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument, message, target, action);
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;

namespace JiraConnect.Webhooks
{
    /// <summary>The values smart values can reach: issue, triggerIssue, project, initiator, user, changelog, now and rule.</summary>
    public sealed class SmartValueContext
    {
        private readonly OrderedDictionary _roots = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);

        /// <summary>A context for one event about an issue (plain values as <see cref="WebhookTree.Normalize"/> returns).</summary>
        public SmartValueContext(object issue, object user, object changelog, DateTimeOffset now, string ruleName)
        {
            _roots["issue"] = issue;
            _roots["triggerIssue"] = issue;
            _roots["project"] = WebhookTree.Member(WebhookTree.Member(issue, "fields"), "project");
            _roots["initiator"] = user;
            _roots["user"] = user;
            _roots["changelog"] = changelog;
            _roots["now"] = WebhookTree.JiraTimestamp(now);
            var rule = new OrderedDictionary(StringComparer.OrdinalIgnoreCase) { ["name"] = ruleName ?? "Send web request" };
            _roots["rule"] = rule;
        }

        internal bool TryGetRoot(string name, out object value)
        {
            if (_roots.Contains(name))
            {
                value = _roots[name];
                return true;
            }
            value = null;
            return false;
        }

        internal IEnumerable<string> RootNames => _roots.Keys.Cast<string>();
    }
}

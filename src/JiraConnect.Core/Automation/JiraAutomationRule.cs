using System;

namespace JiraConnect
{
    /// <summary>
    /// A Jira Automation rule as the Rule Management API lists it; with <see cref="IsDetailed"/> also its trigger, the URLs it
    /// sends web requests to and the whole rule as JSON. Hidden header values are never held: the JSON shows them as ***.
    /// </summary>
    public sealed class JiraAutomationRule
    {
        public string Uuid { get; internal set; }
        public string Name { get; internal set; }
        /// <summary>ENABLED or DISABLED.</summary>
        public string State { get; internal set; }
        public bool Enabled => string.Equals(State, "ENABLED", StringComparison.OrdinalIgnoreCase);
        public string Description { get; internal set; }
        public JiraTextList Labels { get; internal set; } = JiraTextList.Empty;
        /// <summary>The projects the rule is scoped to, by key (empty for a site-wide rule).</summary>
        public JiraTextList ProjectKeys { get; internal set; } = JiraTextList.Empty;
        /// <summary>The rule's scope as ARIs.</summary>
        public JiraTextList ScopeAris { get; internal set; } = JiraTextList.Empty;
        /// <summary>Scoped to the whole site (or to every project of a type) rather than to projects.</summary>
        public bool IsSiteWide { get; internal set; }
        /// <summary>The trigger's component type, e.g. jira.issue.event.trigger:created; known with -Detailed or -Trigger.</summary>
        public string Trigger { get; internal set; }
        public string AuthorAccountId { get; internal set; }
        public DateTimeOffset? Created { get; internal set; }
        public DateTimeOffset? Updated { get; internal set; }
        /// <summary>The URLs of the rule's Send web request actions (with -Detailed).</summary>
        public JiraTextList WebRequestUrls { get; internal set; } = JiraTextList.Empty;
        /// <summary>Whether a Send web request action carries an Authorization header (with -Detailed).</summary>
        public bool? HasAuthorizationHeader { get; internal set; }
        public bool IsDetailed { get; internal set; }
        /// <summary>The whole rule, {"rule":…,"connections":[…]}, hidden header values masked (with -Detailed).</summary>
        public string Json { get; internal set; }
        /// <summary>The session the rule was read through (its name).</summary>
        public string SessionName { get; internal set; }

        /// <summary>"(site)" for a rule of the whole site, else its project keys.</summary>
        public string Scope => IsSiteWide ? "(site)" : string.Join(",", ProjectKeys);

        public override string ToString() => DisplayText.Escape(Name + " (" + Uuid + ")");
    }

    /// <summary>What a rule cmdlet did to a rule.</summary>
    public enum JiraAutomationRuleAction
    {
        Created,
        Updated,
        Unchanged,
        Enabled,
        Disabled,
        Removed,
        /// <summary>Jira refused to delete the rule; it was left disabled.</summary>
        DisabledNotRemoved,
        TokenReplaced,
    }

    /// <summary>The outcome of a change to one rule.</summary>
    public sealed class JiraAutomationRuleChange
    {
        public string Name { get; internal set; }
        public string Uuid { get; internal set; }
        /// <summary>Created, Updated, Unchanged, TokenReplaced, Enabled, Disabled, Removed or DisabledNotRemoved.</summary>
        public string Action => Kind.ToString();

        internal JiraAutomationRuleAction Kind { get; set; }
        /// <summary>ENABLED or DISABLED after the change (empty after removal).</summary>
        public string State { get; internal set; }
        /// <summary>Set-JiraWebhookRuleToken -Verify: whether the test delivery with the new token was accepted.</summary>
        public bool? Verified { get; set; }
        public string Detail { get; internal set; }

        public override string ToString() => DisplayText.Escape(Action + ": " + Name + " (" + Uuid + ")");
    }
}

using System;
using System.Collections.Generic;

namespace JiraConnect.Automation
{
    /// <summary>The triggers New-JiraWebhookRule builds.</summary>
    public enum JiraWebhookRuleTrigger
    {
        IssueCreated,
        IssueTransitioned,
        FieldValueChanged,
        /// <summary>Jira Service Management SLA threshold breached; the component type is unconfirmed.</summary>
        SlaThresholdBreached,
    }

    /// <summary>What the "WHEN trigger THEN Send web request" rule is made of.</summary>
    public sealed class JiraWebhookRuleDefinition
    {
        public string Name { get; set; }
        public string Description { get; set; } = "Managed by JiraConnect";
        /// <summary>Project ARIs, or the site ARI for a site-wide rule.</summary>
        public IReadOnlyList<string> ScopeAris { get; set; }
        /// <summary>Project ARIs the trigger listens to (empty for the whole site).</summary>
        public IReadOnlyList<string> EventFilters { get; set; } = Array.Empty<string>();
        public JiraWebhookRuleTrigger? Trigger { get; set; }
        /// <summary>A raw trigger component (or its value with <see cref="RawTriggerType"/>), for any other trigger.</summary>
        public string RawTriggerJson { get; set; }
        public string[] FromStatus { get; set; } = Array.Empty<string>();
        public string[] ToStatus { get; set; } = Array.Empty<string>();
        public string[] Fields { get; set; } = Array.Empty<string>();
        public Uri Url { get; set; }
        public string Method { get; set; } = "POST";
        /// <summary>The value of the Hidden Authorization header ("Bearer …"); null for none.</summary>
        public string AuthorizationValue { get; set; }
        public IDictionary<string, string> Headers { get; set; }
        /// <summary>Names of <see cref="Headers"/> that are hidden.</summary>
        public ICollection<string> HiddenHeaders { get; set; }
        public JiraWebhookBodyFormat Body { get; set; } = JiraWebhookBodyFormat.JiraIssue;
        public string CustomBody { get; set; }
        /// <summary>ACCOUNT_ID (with <see cref="ActorAccountId"/>) or EVENT_INITIATOR.</summary>
        public string ActorType { get; set; } = "ACCOUNT_ID";
        public string ActorAccountId { get; set; }
        public string AuthorAccountId { get; set; }
        public string[] Labels { get; set; } = Array.Empty<string>();
    }
}

using System.Collections.Generic;

namespace JiraConnect.Automation
{
    /// <summary>Filters of a rule listing; the API filters by trigger, state and scope, the rest is matched here.</summary>
    public sealed class JiraAutomationRuleFilter
    {
        public string State { get; set; }
        public string Trigger { get; set; }
        /// <summary>Scope ARIs (one search per ARI).</summary>
        public IReadOnlyList<string> ScopeAris { get; set; }
    }
}

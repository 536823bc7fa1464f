namespace JiraConnect
{
    /// <summary>A Jira account: accountId on Cloud, user name (and key) on Data Center.</summary>
    public sealed class JiraUser
    {
        public string AccountId { get; set; }
        /// <summary>Data Center user name; empty on Cloud.</summary>
        public string Name { get; set; }
        public string DisplayName { get; set; }
        /// <summary>May be empty when the user's profile visibility hides it.</summary>
        public string EmailAddress { get; set; }
        public bool Active { get; set; }
        /// <summary>Cloud: atlassian, app or customer.</summary>
        public string AccountType { get; set; }
        public string TimeZone { get; set; }

        /// <summary>The identifier Jira APIs take: accountId on Cloud, user name on Data Center.</summary>
        public string Id => string.IsNullOrEmpty(AccountId) ? Name : AccountId;

        public override string ToString() => DisplayText.Escape(string.IsNullOrEmpty(DisplayName) ? Id ?? string.Empty : DisplayName);
    }
}

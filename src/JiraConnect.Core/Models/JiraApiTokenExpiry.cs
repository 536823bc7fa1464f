using System;

namespace JiraConnect
{
    /// <summary>
    /// One user API token of an Atlassian organization, as the organization admin API lists it: its label, owner and
    /// dates. It holds no token value (the API never returns one).
    /// </summary>
    public sealed class JiraApiTokenExpiry
    {
        /// <summary>The token's ID in the organization.</summary>
        public string Id { get; set; }

        /// <summary>The name the owner gave the token.</summary>
        public string Label { get; set; }

        /// <summary>The token's status as Atlassian reports it (ALLOWED, …).</summary>
        public string Status { get; set; }

        public DateTimeOffset? CreatedAt { get; set; }

        /// <summary>When the token stops working; null when Atlassian gives no date.</summary>
        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>When the token was last used; null when it never was.</summary>
        public DateTimeOffset? LastActiveAt { get; set; }

        /// <summary>Whole days until <see cref="ExpiresAt"/>, rounded up, when listed: 0 or less once expired; null without a date.</summary>
        public int? DaysLeft { get; set; }

        /// <summary>Whether <see cref="ExpiresAt"/> had passed when listed.</summary>
        public bool Expired { get; set; }

        /// <summary>The owner's Atlassian account ID.</summary>
        public string UserAccountId { get; set; }

        public string UserName { get; set; }

        public string UserEmail { get; set; }

        public string OrganizationId { get; set; }

        public override string ToString() => DisplayText.Escape($"{Label} ({UserEmail})");

        internal static JiraApiTokenExpiry Create(string organizationId, string id, string label, string status, DateTimeOffset? createdAt,
            DateTimeOffset? expiresAt, DateTimeOffset? lastActiveAt, string accountId, string name, string email, DateTimeOffset now) => new JiraApiTokenExpiry
        {
            Id = id,
            Label = label,
            Status = status,
            CreatedAt = createdAt,
            ExpiresAt = expiresAt,
            LastActiveAt = lastActiveAt,
            DaysLeft = expiresAt == null ? (int?)null : (int)Math.Ceiling((expiresAt.Value - now).TotalDays),
            Expired = expiresAt != null && expiresAt.Value <= now,
            UserAccountId = accountId,
            UserName = name,
            UserEmail = email,
            OrganizationId = organizationId,
        };
    }
}

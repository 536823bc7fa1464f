using System;
using System.Collections.Generic;
using System.Linq;

namespace JiraConnect
{
    /// <summary>A site (and product) an OAuth grant reaches, from …/oauth/token/accessible-resources.</summary>
    public sealed class JiraAccessibleResource
    {
        /// <summary>The site's cloudId: the {cloudId} of https://api.atlassian.com/ex/jira/{cloudId}.</summary>
        public string CloudId { get; set; }
        public string Name { get; set; }
        public Uri Url { get; set; }
        public JiraTextList Scopes { get; set; }
        public Uri AvatarUrl { get; set; }
        /// <summary>Jira, Confluence or Other, told by the scopes (the same cloudId is listed once per product).</summary>
        public string Product { get; set; }
        public bool IsJira => Product == "Jira";

        public override string ToString() => DisplayText.Escape(Name ?? CloudId ?? string.Empty);

        internal static JiraAccessibleResource From(string id, string name, string url, IEnumerable<string> scopes, string avatarUrl)
        {
            var list = (scopes ?? Enumerable.Empty<string>()).ToArray();
            string product = list.Any(s => s.IndexOf("jira", StringComparison.OrdinalIgnoreCase) >= 0 || s.IndexOf("servicedesk", StringComparison.OrdinalIgnoreCase) >= 0) ? "Jira"
                : list.Any(s => s.IndexOf("confluence", StringComparison.OrdinalIgnoreCase) >= 0) ? "Confluence"
                : "Other";
            return new JiraAccessibleResource
            {
                CloudId = id,
                Name = name,
                Url = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null,
                Scopes = list,
                AvatarUrl = Uri.TryCreate(avatarUrl, UriKind.Absolute, out var a) ? a : null,
                Product = product,
            };
        }
    }
}

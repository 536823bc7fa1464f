using System;

namespace JiraConnect
{
    /// <summary>A Jira project as listed by the project search.</summary>
    public sealed class JiraProject
    {
        public string Id { get; set; }
        public string Key { get; set; }
        public string Name { get; set; }
        /// <summary>software, business, service_desk or product_discovery.</summary>
        public string ProjectTypeKey { get; set; }
        /// <summary>classic (company-managed) or next-gen (team-managed).</summary>
        public string Style { get; set; }
        public bool Simplified { get; set; }
        public bool IsPrivate { get; set; }
        public bool Archived { get; set; }
        public string Category { get; set; }
        public string Lead { get; set; }
        private Uri _url;

        /// <summary>The project's REST URL (parsed on first use).</summary>
        public Uri Url
        {
            get
            {
                if (_url == null && SelfLink != null) Uri.TryCreate(SelfLink, UriKind.Absolute, out _url);
                return _url;
            }
            set => _url = value;
        }

        /// <summary>The REST URL as Jira sent it.</summary>
        internal string SelfLink { get; set; }
        /// <summary>Name of the session the project was read through.</summary>
        public string Session { get; set; }

        public override string ToString() => DisplayText.Escape(Key ?? string.Empty);
    }
}

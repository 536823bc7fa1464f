namespace JiraConnect
{
    /// <summary>One field of an integration platform's connector form and the value to enter. Secrets are masked.</summary>
    public sealed class JiraConnectorSetting
    {
        /// <summary>OAuth2 (authorization code) or BasicAuth.</summary>
        public string Connection { get; set; }
        public int Order { get; set; }
        /// <summary>The field's label, as the connector guide names it.</summary>
        public string Field { get; set; }
        /// <summary>What to enter; a secret shows as a mask with its source, never its value.</summary>
        public string Value { get; set; }
        public bool IsSecret { get; set; }
        public string Note { get; set; }

        public override string ToString() => DisplayText.Escape(Field + ": " + Value);
    }
}

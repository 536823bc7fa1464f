namespace JiraConnect
{
    /// <summary>How a session proves who it is.</summary>
    public enum JiraAuthenticationType
    {
        /// <summary>Jira Cloud: email address and API token (Basic).</summary>
        ApiToken,
        /// <summary>Jira Server / Data Center: user name and password (Basic).</summary>
        Password,
        /// <summary>Jira Server / Data Center: personal access token (Bearer).</summary>
        PersonalAccessToken,
        /// <summary>Jira Cloud: OAuth 2.0 access token (Bearer) through api.atlassian.com.</summary>
        OAuth,
        /// <summary>Jira Cloud: email address and scoped API token (Basic) through api.atlassian.com.</summary>
        ScopedApiToken,
        /// <summary>A service account's OAuth 2.0 client credentials (Bearer access tokens, renewed without a refresh token).</summary>
        ClientCredentials,
    }
}

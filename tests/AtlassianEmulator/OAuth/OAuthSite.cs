namespace AtlassianEmulator;

/// <summary>A Jira Cloud site as the authorization server and the API gateway know it.</summary>
internal sealed record OAuthSite(string CloudId, string Name, string AvatarUrl);

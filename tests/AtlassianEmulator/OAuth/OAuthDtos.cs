using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of auth.atlassian.com and api.atlassian.com (snake_case as Atlassian writes them).

/// <summary>The JSON body of POST /oauth/token.</summary>
internal sealed class TokenRequestDto
{
    [JsonPropertyName("grant_type")]
    public string? GrantType { get; set; }

    [JsonPropertyName("client_id")]
    public string? ClientId { get; set; }

    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; set; }

    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("redirect_uri")]
    public string? RedirectUri { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }

    /// <summary>client_credentials: the scopes asked for (space-separated), optional.</summary>
    [JsonPropertyName("scope")]
    public string? Scope { get; set; }
}

internal sealed class TokenResponseDto
{
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public required int ExpiresIn { get; init; }

    [JsonPropertyName("token_type")]
    public string TokenType { get; init; } = "Bearer";

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("scope")]
    public required string Scope { get; init; }
}

/// <summary>{"error":"invalid_grant","error_description":"..."}.</summary>
internal sealed class OAuthErrorDto
{
    [JsonPropertyName("error")]
    public required string Error { get; init; }

    [JsonPropertyName("error_description")]
    public required string ErrorDescription { get; init; }
}

/// <summary>One entry of GET /oauth/token/accessible-resources.</summary>
internal sealed class AccessibleResourceDto
{
    public required string Id { get; init; }

    public required string Url { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string AvatarUrl { get; init; }
}

/// <summary>The API gateway's own error body: {"code":401,"message":"Unauthorized"}.</summary>
internal sealed class GatewayErrorDto
{
    public required int Code { get; init; }

    public required string Message { get; init; }
}

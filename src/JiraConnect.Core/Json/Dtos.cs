using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace JiraConnect.Json
{
    // Wire shapes, internal to the engine. Public objects are built from them.
    internal sealed class ServerInfoDto
    {
        public string BaseUrl { get; set; }
        public string Version { get; set; }
        public string DeploymentType { get; set; }
        public string ServerTitle { get; set; }
        public long BuildNumber { get; set; }
    }

    internal sealed class UserDto
    {
        public string AccountId { get; set; }
        public string AccountType { get; set; }
        public string Name { get; set; }
        public string Key { get; set; }
        public string EmailAddress { get; set; }
        public string DisplayName { get; set; }
        public bool Active { get; set; }
        public string TimeZone { get; set; }
        public string Locale { get; set; }
        public string Self { get; set; }
        public GroupListDto Groups { get; set; }
    }

    internal sealed class GroupListDto
    {
        public int Size { get; set; }
        public List<GroupNameDto> Items { get; set; }
    }

    /// <summary>A group as users and role actors name it (Data Center has no groupId).</summary>
    internal sealed class GroupNameDto
    {
        public string Name { get; set; }
        public string GroupId { get; set; }
    }

    internal sealed class PermissionDto
    {
        public bool HavePermission { get; set; }
    }

    internal sealed class PermissionsDto
    {
        public Dictionary<string, PermissionDto> Permissions { get; set; }
    }

    internal sealed class BulkPermissionGrantsDto
    {
        public List<BulkProjectPermissionGrantsDto> ProjectPermissions { get; set; }
    }

    internal sealed class BulkProjectPermissionGrantsDto
    {
        public string Permission { get; set; }
        public List<long> Projects { get; set; }
    }

    internal sealed class ProjectRoleDto
    {
        public long Id { get; set; }
        public string Name { get; set; }
        public List<RoleActorDto> Actors { get; set; }
    }

    /// <summary>Cloud names a user by actorUser.accountId, Data Center by name; groups carry name (and on Cloud actorGroup).</summary>
    internal sealed class RoleActorDto
    {
        public string Type { get; set; }
        public string Name { get; set; }
        public string DisplayName { get; set; }
        public RoleActorUserDto ActorUser { get; set; }
        public GroupNameDto ActorGroup { get; set; }
    }

    internal sealed class RoleActorUserDto
    {
        public string AccountId { get; set; }
    }
}

namespace JiraConnect.Json
{
    internal sealed class TokenResponseDto
    {
        [JsonPropertyName("access_token")] public string AccessToken { get; set; }
        [JsonPropertyName("refresh_token")] public string RefreshToken { get; set; }
        [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
        [JsonPropertyName("scope")] public string Scope { get; set; }
        [JsonPropertyName("token_type")] public string TokenType { get; set; }
    }

    internal sealed class OAuthErrorDto
    {
        [JsonPropertyName("error")] public string Error { get; set; }
        [JsonPropertyName("error_description")] public string ErrorDescription { get; set; }
    }

    internal sealed class AccessibleResourceDto
    {
        public string Id { get; set; }
        public string Name { get; set; }
        public string Url { get; set; }
        public List<string> Scopes { get; set; }
        public string AvatarUrl { get; set; }
    }

    /// <summary>The token cache file. Secrets are DPAPI-protected on Windows; elsewhere the file is readable by its owner only.</summary>
    internal sealed class TokenCacheDto
    {
        public int Version { get; set; }
        public string Protection { get; set; }
        public string ClientId { get; set; }
        public string EnvironmentName { get; set; }
        public string AuthorizationUrl { get; set; }
        public string TokenUrl { get; set; }
        public string ApiGatewayUrl { get; set; }
        public string Audience { get; set; }
        public string RedirectUri { get; set; }
        public List<string> Scopes { get; set; }
        public string TokenType { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }
        public DateTimeOffset ObtainedAt { get; set; }
        public string AccessToken { get; set; }
        public string RefreshToken { get; set; }
    }
}

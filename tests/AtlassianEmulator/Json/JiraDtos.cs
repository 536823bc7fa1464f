using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them. Null members are omitted;
// property order follows Jira's own output.

internal sealed class ErrorCollectionDto
{
    public required IReadOnlyList<string> ErrorMessages { get; init; }

    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();
}

internal sealed class MessageDto
{
    public required string Message { get; init; }
}

internal sealed class AvatarUrlsDto
{
    [JsonPropertyName("48x48")]
    public required string Large { get; init; }

    [JsonPropertyName("24x24")]
    public required string Small { get; init; }

    [JsonPropertyName("16x16")]
    public required string XSmall { get; init; }

    [JsonPropertyName("32x32")]
    public required string Medium { get; init; }
}

internal sealed class ServerInfoDto
{
    public required string BaseUrl { get; init; }

    public required string Version { get; init; }

    public required IReadOnlyList<int> VersionNumbers { get; init; }

    public required string DeploymentType { get; init; }

    public required int BuildNumber { get; init; }

    public required string BuildDate { get; init; }

    public required string ServerTime { get; init; }

    public required string ScmInfo { get; init; }

    public required string ServerTitle { get; init; }
}

internal sealed class SimpleListDto
{
    public required int Size { get; init; }

    public IReadOnlyList<string> Items { get; init; } = [];
}

internal sealed class UserDto
{
    public required string Self { get; init; }

    public string? Key { get; init; }

    public string? AccountId { get; init; }

    public string? AccountType { get; init; }

    public string? Name { get; init; }

    public string? EmailAddress { get; init; }

    public required AvatarUrlsDto AvatarUrls { get; init; }

    public required string DisplayName { get; init; }

    public required bool Active { get; init; }

    public string? TimeZone { get; init; }

    public string? Locale { get; init; }

    public GroupListDto? Groups { get; init; }

    public SimpleListDto? ApplicationRoles { get; init; }

    public string? Expand { get; init; }
}

internal sealed class ProjectCategoryDto
{
    public required string Self { get; init; }

    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }
}

internal sealed class IssueTypeDto
{
    public required string Self { get; init; }

    public required string Id { get; init; }

    public required string Description { get; init; }

    public required string IconUrl { get; init; }

    public required string Name { get; init; }

    public required bool Subtask { get; init; }

    public long? AvatarId { get; init; }

    public int? HierarchyLevel { get; init; }
}

internal sealed class ProjectDto
{
    public string? Expand { get; init; }

    public required string Self { get; init; }

    public required string Id { get; init; }

    public required string Key { get; init; }

    public string? Description { get; init; }

    public UserDto? Lead { get; init; }

    public IReadOnlyList<string>? Components { get; init; }

    public IReadOnlyList<IssueTypeDto>? IssueTypes { get; init; }

    public string? AssigneeType { get; init; }

    public IReadOnlyList<string>? Versions { get; init; }

    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string>? Roles { get; init; }

    public required AvatarUrlsDto AvatarUrls { get; init; }

    public ProjectCategoryDto? ProjectCategory { get; init; }

    public required string ProjectTypeKey { get; init; }

    public bool? Simplified { get; init; }

    public string? Style { get; init; }

    public bool? IsPrivate { get; init; }

    public bool? Archived { get; init; }

    public string? ArchivedDate { get; init; }

    public UserDto? ArchivedBy { get; init; }

    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}

internal sealed class StatusCategoryDto
{
    public required string Self { get; init; }

    public required int Id { get; init; }

    public required string Key { get; init; }

    public required string ColorName { get; init; }

    public required string Name { get; init; }
}

internal sealed class StatusDto
{
    public required string Self { get; init; }

    public required string Description { get; init; }

    public required string IconUrl { get; init; }

    public required string Name { get; init; }

    public required string Id { get; init; }

    public required StatusCategoryDto StatusCategory { get; init; }
}

internal sealed class PriorityDto
{
    public required string Self { get; init; }

    public required string IconUrl { get; init; }

    public required string Name { get; init; }

    public required string Id { get; init; }
}

/// <summary>An Atlassian Document Format node (the v3 representation of rich text).</summary>
internal sealed class AdfNode
{
    public required string Type { get; init; }

    public int? Version { get; init; }

    public string? Text { get; init; }

    public IReadOnlyList<AdfNode>? Content { get; init; }
}

internal sealed class CreatedIssueDto
{
    public required string Id { get; init; }

    public required string Key { get; init; }

    public required string Self { get; init; }
}

internal sealed class TransitionDto
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required StatusDto To { get; init; }

    public bool? HasScreen { get; init; }

    public bool? IsGlobal { get; init; }

    public bool? IsInitial { get; init; }

    public bool? IsAvailable { get; init; }

    public bool? IsConditional { get; init; }

    public bool? IsLooped { get; init; }
}

internal sealed class TransitionsDto
{
    public string? Expand { get; init; }

    public required IReadOnlyList<TransitionDto> Transitions { get; init; }
}

/// <summary>A group as user/groups and myself?expand=groups list it (Data Center has no groupId).</summary>
internal sealed class GroupNameDto
{
    public required string Name { get; init; }

    public string? GroupId { get; init; }

    public required string Self { get; init; }
}

internal sealed class GroupListDto
{
    public required int Size { get; init; }

    public IReadOnlyList<GroupNameDto> Items { get; init; } = [];
}

/// <summary>One entry of GET mypermissions.</summary>
internal sealed class UserPermissionDto
{
    public required string Id { get; init; }

    public required string Key { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Description { get; init; }

    public required bool HavePermission { get; init; }
}

internal sealed class PermissionsDto
{
    public required IReadOnlyDictionary<string, UserPermissionDto> Permissions { get; init; }
}

/// <summary>Body of POST permissions/check (Cloud).</summary>
internal sealed class BulkPermissionsRequestDto
{
    public string? AccountId { get; init; }

    public IReadOnlyList<string>? GlobalPermissions { get; init; }

    public IReadOnlyList<BulkProjectPermissionsDto>? ProjectPermissions { get; init; }
}

internal sealed class BulkProjectPermissionsDto
{
    public IReadOnlyList<string>? Permissions { get; init; }

    public IReadOnlyList<long>? Projects { get; init; }

    public IReadOnlyList<long>? Issues { get; init; }
}

internal sealed class BulkPermissionGrantsDto
{
    public required IReadOnlyList<string> GlobalPermissions { get; init; }

    public required IReadOnlyList<BulkProjectPermissionGrantsDto> ProjectPermissions { get; init; }
}

internal sealed class BulkProjectPermissionGrantsDto
{
    public required string Permission { get; init; }

    public required IReadOnlyList<long> Projects { get; init; }

    public required IReadOnlyList<long> Issues { get; init; }
}

internal sealed class ProjectRoleDto
{
    public required string Self { get; init; }

    public required string Name { get; init; }

    public required long Id { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<RoleActorDto> Actors { get; init; }
}

/// <summary>A role actor: Cloud names users by actorUser.accountId, Data Center by name (the user name).</summary>
internal sealed class RoleActorDto
{
    public required long Id { get; init; }

    public required string DisplayName { get; init; }

    public required string Type { get; init; }

    public string? Name { get; init; }

    public RoleActorUserDto? ActorUser { get; init; }

    public RoleActorGroupDto? ActorGroup { get; init; }
}

internal sealed class RoleActorUserDto
{
    public required string AccountId { get; init; }
}

internal sealed class RoleActorGroupDto
{
    public required string Name { get; init; }

    public required string DisplayName { get; init; }

    public string? GroupId { get; init; }
}

/// <summary>Body of POST project/{key}/role/{id}: user account ids (Cloud) or user names (Data Center), group names, group ids.</summary>
internal sealed class ActorsMapDto
{
    public IReadOnlyList<string>? User { get; init; }

    public IReadOnlyList<string>? Group { get; init; }

    public IReadOnlyList<string>? GroupId { get; init; }
}

/// <summary>What the built-in listener answers.</summary>
internal sealed class ListenerReceiptDto
{
    public required string Status { get; init; }

    public required int Bytes { get; init; }
}

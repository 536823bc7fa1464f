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

    public SimpleListDto? Groups { get; init; }

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

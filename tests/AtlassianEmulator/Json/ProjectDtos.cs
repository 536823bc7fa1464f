using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: projects. Null members are omitted;
// property order follows Jira's own output.

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

using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: users and groups. Null members are omitted;
// property order follows Jira's own output.

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

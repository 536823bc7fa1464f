using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: project roles and their actors. Null members are omitted;
// property order follows Jira's own output.

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

using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: issues, statuses and transitions. Null members are omitted;
// property order follows Jira's own output.

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

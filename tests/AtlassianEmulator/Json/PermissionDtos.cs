using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: permissions. Null members are omitted;
// property order follows Jira's own output.

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

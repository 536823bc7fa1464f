using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: serverInfo. Null members are omitted;
// property order follows Jira's own output.

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

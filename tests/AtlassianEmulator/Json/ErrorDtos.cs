using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: errors and messages. Null members are omitted;
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

using System.Text.Json.Serialization;

namespace AtlassianEmulator;

// Wire shapes of the Jira REST API as the emulator writes them: the webhook listener. Null members are omitted;
// property order follows Jira's own output.

/// <summary>What the built-in listener answers.</summary>
internal sealed class ListenerReceiptDto
{
    public required string Status { get; init; }

    public required int Bytes { get; init; }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AtlassianEmulator;

/// <summary>Source-generated serialization for every shape the emulator reads or writes.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorCollectionDto))]
[JsonSerializable(typeof(MessageDto))]
[JsonSerializable(typeof(ServerInfoDto))]
[JsonSerializable(typeof(UserDto))]
[JsonSerializable(typeof(ProjectDto))]
[JsonSerializable(typeof(IssueTypeDto))]
[JsonSerializable(typeof(StatusDto))]
[JsonSerializable(typeof(PriorityDto))]
[JsonSerializable(typeof(AdfNode))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(FaultSpec))]
[JsonSerializable(typeof(FaultRule))]
[JsonSerializable(typeof(IReadOnlyList<FaultRule>))]
[JsonSerializable(typeof(IReadOnlyList<RequestLogEntry>))]
[JsonSerializable(typeof(EmulatorSettings))]
[JsonSerializable(typeof(ProjectSeedRequest))]
[JsonSerializable(typeof(SeedSummary))]
[JsonSerializable(typeof(TokenRequestDto))]
[JsonSerializable(typeof(TokenResponseDto))]
[JsonSerializable(typeof(OAuthErrorDto))]
[JsonSerializable(typeof(IReadOnlyList<AccessibleResourceDto>))]
[JsonSerializable(typeof(GatewayErrorDto))]
[JsonSerializable(typeof(OAuthSettings))]
[JsonSerializable(typeof(OAuthApp))]
[JsonSerializable(typeof(OAuthAppRequest))]
[JsonSerializable(typeof(IReadOnlyList<OAuthApp>))]
[JsonSerializable(typeof(ClockRequest))]
[JsonSerializable(typeof(ClockState))]
[JsonSerializable(typeof(IReadOnlyList<IssuedSecret>))]
[JsonSerializable(typeof(CreatedIssueDto))]
[JsonSerializable(typeof(TransitionsDto))]
[JsonSerializable(typeof(AutomationRuleSpec))]
[JsonSerializable(typeof(AutomationRule))]
[JsonSerializable(typeof(IReadOnlyList<AutomationRule>))]
[JsonSerializable(typeof(IReadOnlyList<AutomationAuditEntry>))]
[JsonSerializable(typeof(AllowlistSettings))]
[JsonSerializable(typeof(RevokeRequest))]
[JsonSerializable(typeof(PermissionsDto))]
[JsonSerializable(typeof(BulkPermissionsRequestDto))]
[JsonSerializable(typeof(BulkPermissionGrantsDto))]
[JsonSerializable(typeof(ProjectRoleDto))]
[JsonSerializable(typeof(ActorsMapDto))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<GroupNameDto>))]
[JsonSerializable(typeof(IReadOnlyList<UserDto>))]
[JsonSerializable(typeof(ListenerReceiptDto))]
internal sealed partial class EmulatorJson : JsonSerializerContext
{
    private static readonly Lazy<EmulatorJson> s_wire = new(() => new EmulatorJson(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }));

    /// <summary>
    /// The context to use: Jira writes "+0000" offsets and other characters literally, so the relaxed
    /// encoder is used instead of the default one that escapes '+' and HTML-sensitive characters.
    /// </summary>
    public static EmulatorJson Wire => s_wire.Value;

    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };
}

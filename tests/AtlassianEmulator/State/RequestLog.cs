using System.Text.Json.Serialization;

namespace AtlassianEmulator;

/// <summary>One logged request. Credentials are never recorded, only the scheme.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="Query">Query string without the leading '?', empty when none.</param>
/// <param name="AuthScheme">"Basic", "Bearer", "Other", or null without an Authorization header.</param>
/// <param name="Status">Response status, or null when the connection was dropped or abandoned.</param>
/// <param name="Timestamp">When the request arrived (UTC).</param>
public sealed record RequestLogEntry(
    string Method,
    string Path,
    string Query,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AuthScheme,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Status,
    DateTimeOffset Timestamp);

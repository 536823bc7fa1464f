using System.Text.Json.Serialization;

namespace AtlassianEmulator;

/// <summary>What an injected fault does to a matching request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Answer with a status code and a Jira-shaped error body (429 and 503 carry Retry-After when set).</summary>
    [JsonStringEnumMemberName("status")]
    Status,

    /// <summary>Wait, then answer normally; the wait ends early when the client disconnects.</summary>
    [JsonStringEnumMemberName("delay")]
    Delay,

    /// <summary>Abort the connection without any response.</summary>
    [JsonStringEnumMemberName("drop")]
    Drop,

    /// <summary>200 application/json with a truncated JSON body.</summary>
    [JsonStringEnumMemberName("malformedJson")]
    MalformedJson,

    /// <summary>200 text/html single sign-on login page, as an SSO proxy in front of Jira would send.</summary>
    [JsonStringEnumMemberName("html")]
    Html,

    /// <summary>A redirect (status 301, 302, 303, 307 or 308; default 302) to <see cref="FaultSpec.Location"/>, as a moved site or an SSO proxy would send.</summary>
    [JsonStringEnumMemberName("redirect")]
    Redirect,
}

/// <summary>A request to inject a fault (the body of POST /_emulator/faults).</summary>
public sealed class FaultSpec
{
    /// <summary>Path prefix the fault applies to (case-insensitive); default "/rest".</summary>
    public string? Path { get; set; }

    /// <summary>HTTP method the fault applies to; default any.</summary>
    public string? Method { get; set; }

    public FaultKind? Kind { get; set; }

    /// <summary>Status code for <see cref="FaultKind.Status"/>.</summary>
    public int? Status { get; set; }

    /// <summary>Seconds to announce in Retry-After.</summary>
    public int? RetryAfter { get; set; }

    /// <summary>Milliseconds to wait for <see cref="FaultKind.Delay"/>.</summary>
    public int? DelayMs { get; set; }

    /// <summary>How many matching requests the fault applies to; default 1, -1 for every one.</summary>
    public int? Times { get; set; }

    /// <summary>Absolute URL for the Location header of <see cref="FaultKind.Redirect"/>.</summary>
    public string? Location { get; set; }

    /// <summary>How many matching requests pass untouched before the fault starts; default 0.</summary>
    public int? After { get; set; }
}

/// <summary>An active fault with its counters.</summary>
public sealed class FaultRule
{
    public const string DefaultPath = "/rest";
    private const int MaxDelayMs = 600_000;

    private FaultRule(string id, FaultSpec spec, FaultKind kind)
    {
        Id = id;
        Path = spec.Path ?? DefaultPath;
        Method = spec.Method?.ToUpperInvariant();
        Kind = kind;
        Status = spec.Status;
        RetryAfter = spec.RetryAfter;
        DelayMs = spec.DelayMs ?? 0;
        Times = spec.Times ?? 1;
        After = spec.After ?? 0;
        Location = spec.Location;
    }

    public string Id { get; }

    public string Path { get; }

    public string? Method { get; }

    public FaultKind Kind { get; }

    public int? Status { get; }

    public int? RetryAfter { get; }

    public int DelayMs { get; }

    public int Times { get; }

    public int After { get; }

    public string? Location { get; }

    /// <summary>Requests that matched path and method so far.</summary>
    public int Matched { get; private set; }

    /// <summary>Requests the fault was applied to so far.</summary>
    public int Applied { get; private set; }

    internal static FaultRule Create(string id, FaultSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var kind = spec.Kind ?? throw new ArgumentException("kind is required: status, delay, drop, malformedJson, html or redirect.");
        if (spec.Path is { } path && !path.StartsWith('/'))
        {
            throw new ArgumentException("path must start with '/'.");
        }

        if (kind == FaultKind.Status && spec.Status is not (>= 200 and <= 599))
        {
            throw new ArgumentException("status must be between 200 and 599 for kind 'status'.");
        }

        if (kind == FaultKind.Redirect)
        {
            if (spec.Status is not (null or 301 or 302 or 303 or 307 or 308))
            {
                throw new ArgumentException("status must be 301, 302, 303, 307 or 308 for kind 'redirect'.");
            }

            if (!Uri.TryCreate(spec.Location, UriKind.Absolute, out _))
            {
                throw new ArgumentException("location must be an absolute URL for kind 'redirect'.");
            }
        }

        if (kind == FaultKind.Delay && spec.DelayMs is not (>= 0 and <= MaxDelayMs))
        {
            throw new ArgumentException($"delayMs must be between 0 and {MaxDelayMs} for kind 'delay'.");
        }

        if (spec.RetryAfter is < 0)
        {
            throw new ArgumentException("retryAfter must not be negative.");
        }

        if (spec.Times is not (null or -1 or >= 1))
        {
            throw new ArgumentException("times must be -1 (forever) or at least 1.");
        }

        if (spec.After is < 0)
        {
            throw new ArgumentException("after must not be negative.");
        }

        return new FaultRule(id, spec, kind);
    }

    /// <summary>Counts a request against the rule; true when the fault applies to it. Caller holds the state lock.</summary>
    internal bool TryApply(string method, string path)
    {
        if (!path.StartsWith(Path, StringComparison.OrdinalIgnoreCase)
            || (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        Matched++;
        if (Matched <= After || (Times >= 0 && Applied >= Times))
        {
            return false;
        }

        Applied++;
        return true;
    }
}

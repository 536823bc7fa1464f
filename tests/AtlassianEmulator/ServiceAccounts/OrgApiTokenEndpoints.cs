using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AtlassianEmulator;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiTokenSearchResponse))]
internal sealed partial class OrgApiJson : JsonSerializerContext
{
}

/// <summary>One user API token as the organization admin API lists it (no secret: only its metadata).</summary>
internal sealed class ApiTokenDto
{
    public required string Id { get; init; }

    public required string Label { get; init; }

    public required string Status { get; init; }

    public required string CreatedAt { get; init; }

    public required string ExpiresAt { get; init; }

    /// <summary>Null for a token never used (written as null, as the member is part of every item).</summary>
    public string? LastActiveAt { get; init; }

    public required ApiTokenUserDto User { get; init; }
}

internal sealed class ApiTokenUserDto
{
    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public required string Name { get; init; }

    public required string Email { get; init; }
}

internal sealed class ApiTokenLinksDto
{
    public required string Self { get; init; }

    public string? Next { get; init; }

    public string? Prev { get; init; }
}

/// <summary>ApiTokenSearchResponse: {"data":[…],"links":{"self","next","prev"}}.</summary>
internal sealed class ApiTokenSearchResponse
{
    public required IReadOnlyList<ApiTokenDto> Data { get; init; }

    public required ApiTokenLinksDto Links { get; init; }
}

/// <summary>
/// The organization admin API's token list, GET /admin/api-access/v1/orgs/{orgId}/api-tokens on api.atlassian.com
/// (the emulator's address): the org API key as Bearer (401 otherwise, 403 for a key without read:tokens:admin), an
/// unknown organization 404, pages of <see cref="PageSize"/> tokens linked by an opaque cursor in <c>links.next</c>.
/// </summary>
internal static class OrgApiTokenEndpoints
{
    public const string Path = "/admin/api-access/v1/orgs/{orgId}/api-tokens";

    /// <summary>The seeded organization.</summary>
    public const string OrgId = "7c4e2a91-3b5d-4f68-8a0c-2e9d1b7f6a35";

    /// <summary>An org API key with read:tokens:admin.</summary>
    public const string AdminApiKey = "ATCTT3xFfGF0-emu-org-admin-key-P8vQ2mX5";

    /// <summary>An org API key of the same organization without read:tokens:admin.</summary>
    public const string KeyWithoutTokenScope = "ATCTT3xFfGF0-emu-org-noscope-key-L3hW7cR1";

    /// <summary>Small, so that the seeded list spans three pages.</summary>
    public const int PageSize = 3;

    private sealed record SeedToken(string Id, string Label, string Email, string Name, string AccountId, int CreatedDaysAgo, int ExpiresInDays, int? LastActiveDaysAgo, string Status = "ALLOWED");

    private const string AdaId = "5b10a2844c20165700ede21g";
    private const string LeeId = "5b10ac8d82e05b22cc7d4ef5";

    /// <summary>Days relative to the emulator's start: some expire soon, some have expired, one was never used.</summary>
    private static readonly SeedToken[] Seed =
    [
        new("b1f0c8e2-0001-4a6e-9d2b-6c1f3a5e7d01", "Integration connector", "admin@example.com", "Ada Admin", AdaId, 355, 10, 1),
        new("b1f0c8e2-0002-4a6e-9d2b-6c1f3a5e7d02", "Old laptop script", "admin@example.com", "Ada Admin", AdaId, 370, -5, 40),
        new("b1f0c8e2-0003-4a6e-9d2b-6c1f3a5e7d03", "Reporting", "limited@example.com", "Lee Limited", LeeId, 165, 200, 3),
        new("b1f0c8e2-0004-4a6e-9d2b-6c1f3a5e7d04", "Jira sync", ServiceAccountSeed.Cloud.EmailAddress, ServiceAccountSeed.Cloud.DisplayName, ServiceAccountSeed.Cloud.AccountId!, 340, 25, 0),
        new("b1f0c8e2-0005-4a6e-9d2b-6c1f3a5e7d05", "Nightly export", ServiceAccountSeed.Cloud.EmailAddress, ServiceAccountSeed.Cloud.DisplayName, ServiceAccountSeed.Cloud.AccountId!, 65, 300, 1),
        new("b1f0c8e2-0006-4a6e-9d2b-6c1f3a5e7d06", "Spreadsheet import", "dev@example.com", "Dev Eloper", "5b10ac8d82e05b22cc7d4ef7", 320, 45, null),
        new("b1f0c8e2-0007-4a6e-9d2b-6c1f3a5e7d07", "Build pipeline", "dev@example.com", "Dev Eloper", "5b10ac8d82e05b22cc7d4ef7", 366, -1, 2),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        // Whole seconds, fixed at start: every page of one listing shows the same dates.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var tokens = Seed.Select(t => ToDto(t, now)).ToList();
        app.MapGet(Path, (RequestDelegate)(context => List(context, tokens).ExecuteAsync(context)));
    }

    private static IResult List(HttpContext context, IReadOnlyList<ApiTokenDto> tokens)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || header.Parameter is not { } key)
        {
            return GatewayAuthenticator.Unauthorized("Unauthorized");
        }

        var scoped = EmulatorState.FixedTimeEquals(AdminApiKey, key);
        if (!scoped && !EmulatorState.FixedTimeEquals(KeyWithoutTokenScope, key))
        {
            return GatewayAuthenticator.Unauthorized("Unauthorized");
        }

        if (!string.Equals(context.Request.RouteValues["orgId"] as string, OrgId, StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status404NotFound, "Organization not found");
        }

        if (!scoped)
        {
            return Error(StatusCodes.Status403Forbidden, "The API key does not have the required scope: read:tokens:admin");
        }

        var status = context.Request.Query["status"].ToString();
        var matching = string.IsNullOrEmpty(status) ? tokens : tokens.Where(t => string.Equals(t.Status, status, StringComparison.OrdinalIgnoreCase)).ToList();
        var cursor = context.Request.Query["cursor"].ToString();
        var start = 0;
        if (cursor.Length > 0 && !TryDecode(cursor, out start))
        {
            return Error(StatusCodes.Status400BadRequest, "Invalid cursor");
        }

        var page = matching.Skip(start).Take(PageSize).ToList();
        var response = new ApiTokenSearchResponse
        {
            Data = page,
            Links = new ApiTokenLinksDto
            {
                Self = Encode(start),
                Next = start + PageSize < matching.Count ? Encode(start + PageSize) : null,
                Prev = start > 0 ? Encode(Math.Max(0, start - PageSize)) : null,
            },
        };
        return JsonResult.Of(response, OrgApiJson.Default.ApiTokenSearchResponse);
    }

    private static ApiTokenDto ToDto(SeedToken t, DateTimeOffset now) => new()
    {
        Id = t.Id,
        Label = t.Label,
        Status = t.Status,
        CreatedAt = Time(now.AddDays(-t.CreatedDaysAgo)),
        ExpiresAt = Time(now.AddDays(t.ExpiresInDays)),
        LastActiveAt = t.LastActiveDaysAgo is { } days ? Time(now.AddDays(-days).AddHours(-2)) : null,
        User = new ApiTokenUserDto { Id = t.AccountId, OrgId = OrgId, Name = t.Name, Email = t.Email },
    };

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Encode(int start) => Convert.ToBase64String(Encoding.UTF8.GetBytes("tokens:" + start)).TrimEnd('=');

    private static bool TryDecode(string cursor, out int start)
    {
        start = 0;
        try
        {
            var padded = cursor.PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("tokens:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(7), out start) && start >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IResult Error(int status, string message) =>
        JsonResult.Of(new GatewayErrorDto { Code = status, Message = message }, EmulatorJson.Wire.GatewayErrorDto, status);
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AtlassianEmulator;

/// <summary>
/// The Automation Rule Management REST API of Jira Cloud, at both of its base paths: the API gateway's
/// /automation/public/{product}/{cloudId}/rest/v1 (the emulator's own address stands in for api.atlassian.com) and the
/// site's /gateway/api/automation/public/…; plus GET /_edge/tenant_info. Only an account's API token (Basic) is accepted;
/// only site administrators may write.
/// </summary>
internal static class RuleApiEndpoints
{
    private const string Base = "/automation/public/{product}/{cloudId}/rest/{version}";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        // The site's public cloudId, no credentials needed (the automation client and service-account connects read it).
        app.MapGet("/_edge/tenant_info", (RequestDelegate)(context =>
            Write(context, StatusCodes.Status200OK, new JsonObject { ["cloudId"] = OAuthServer.SiteCloudId })));

        foreach (var prefix in new[] { Base, "/gateway/api" + Base })
        {
            var group = app.MapGroup(prefix);
            var store = state.Automation.RuleApi;
            group.MapGet("/rule/summary", (RequestDelegate)(context => Handle(context, state, write: false, async () =>
            {
                var query = context.Request.Query;
                int? limit = query.ContainsKey("limit") ? ParseLimit(query["limit"].ToString()) : null;
                return (StatusCodes.Status200OK, store.Page(query["cursor"].FirstOrDefault(), limit, null));
            })));
            group.MapPost("/rule/summary", (RequestDelegate)(context => Handle(context, state, write: false, async () =>
            {
                var body = await ReadAsync(context) as JsonObject ?? throw RuleApiException.Unparsable();
                var filter = new SummaryFilter(Text(body, "trigger"), Text(body, "state"), Text(body, "scope"), Text(body, "author"));
                int? limit = body["limit"] is JsonValue l && l.TryGetValue(out int n) ? n : null;
                var cursor = Text(body, "cursor");
                if (cursor is null && filter is { Trigger: null, State: null, Scope: null } && limit is null)
                {
                    throw new RuleApiException(StatusCodes.Status400BadRequest, "api.validation.missing-filter", "At least one of trigger, state, scope or limit is required");
                }

                return (StatusCodes.Status200OK, store.Page(cursor, limit, filter));
            })));
            group.MapGet("/rule/{ruleUuid}", (RequestDelegate)(context => Handle(context, state, write: false, async () =>
                (StatusCodes.Status200OK, store.Read(Uuid(context))))));
            group.MapPost("/rule", (RequestDelegate)(context => Handle(context, state, write: true, async () =>
                (StatusCodes.Status201Created, new JsonObject { ["ruleUuid"] = store.Create(await ReadAsync(context)) }))));
            group.MapPut("/rule/{ruleUuid}", (RequestDelegate)(context => Handle(context, state, write: true, async () =>
                (StatusCodes.Status200OK, new JsonObject { ["ruleUuid"] = store.Update(Uuid(context), await ReadAsync(context)) }))));
            group.MapPut("/rule/{ruleUuid}/state", (RequestDelegate)(context => Handle(context, state, write: true, async () =>
            {
                store.SetState(Uuid(context), await ReadAsync(context));
                return (StatusCodes.Status200OK, null);
            })));
            group.MapDelete("/rule/{ruleUuid}", (RequestDelegate)(context => Handle(context, state, write: true, async () =>
            {
                store.Delete(Uuid(context));
                return (StatusCodes.Status204NoContent, null);
            })));
        }
    }

    private static string Uuid(HttpContext context) => (string)context.Request.RouteValues["ruleUuid"]!;

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static int ParseLimit(string text) =>
        int.TryParse(text, out var n) ? n : throw new RuleApiException(StatusCodes.Status400BadRequest, "api.validation.outside-range", "limit must be between 1 and 100", field: "limit");

    private static async Task<JsonNode?> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            throw RuleApiException.Unparsable();
        }
    }

    private static async Task Handle(HttpContext context, EmulatorState state, bool write, Func<Task<(int Status, JsonObject? Body)>> action)
    {
        var routes = context.Request.RouteValues;
        if ((string?)routes["product"] != "jira" || (string?)routes["cloudId"] != OAuthServer.SiteCloudId || (string?)routes["version"] is not ("v1" or "latest"))
        {
            await Error(context, new RuleApiException(StatusCodes.Status404NotFound, "NOT_FOUND", "No such product, site or API version"));
            return;
        }

        var user = Authenticate(context.Request.Headers.Authorization.ToString(), state);
        if (user is null)
        {
            // As observed on Jira Cloud: a rejected token is 401 on reads but 400 "could not be parsed" on writes.
            await Error(context, write
                ? RuleApiException.Unparsable()
                : new RuleApiException(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "Unauthorized"));
            return;
        }

        if (write && !user.SystemAdministrator)
        {
            await Error(context, new RuleApiException(StatusCodes.Status403Forbidden, "FORBIDDEN", "Forbidden", "The caller is not authenticated or is not a global admin"));
            return;
        }

        context.Response.Headers["X-AAccountId"] = user.AccountId;
        try
        {
            var (status, body) = await action();
            if (body is null)
            {
                context.Response.StatusCode = status;
                return;
            }

            await Write(context, status, body);
        }
        catch (RuleApiException ex)
        {
            await Error(context, ex);
        }
    }

    /// <summary>Basic with an account's API token only: scoped API tokens, passwords and OAuth (Bearer) tokens are refused.</summary>
    private static UserAccount? Authenticate(string authorization, EmulatorState state)
    {
        const string Basic = "Basic ";
        if (!authorization.StartsWith(Basic, StringComparison.OrdinalIgnoreCase)
            || !Authenticator.TryDecodeBasic(authorization[Basic.Length..].Trim(), out var login, out var secret)
            || state.FindUserByLogin(login) is not { } user || user.ApiToken is not { } token
            || !EmulatorState.FixedTimeEquals(token, secret) || state.TokensRevoked(user))
        {
            return null;
        }

        return user;
    }

    private static Task Error(HttpContext context, RuleApiException ex)
    {
        var error = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["status"] = ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["code"] = ex.Code,
            ["title"] = ex.Title,
        };
        if (ex.Detail is not null)
        {
            error["detail"] = ex.Detail;
        }

        if (ex.Field is not null)
        {
            error["field"] = ex.Field;
        }

        return Write(context, ex.Status, new JsonObject { ["errors"] = new JsonArray(error) });
    }

    private static Task Write(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString())).AsTask();
    }
}

/// <summary>Admin knobs of the rule API under /_emulator/automation/rule-api.</summary>
internal static class RuleApiAdminEndpoints
{
    public static void Map(IEndpointRouteBuilder admin, EmulatorState state)
    {
        // Cursors live about an hour: moving this clock forward expires the ones handed out.
        admin.MapPost("/automation/rule-api/clock", (RequestDelegate)(async context =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var seconds = body?["advanceSeconds"]?.GetValue<double>() ?? 0;
            state.Automation.RuleApi.AdvanceClock(TimeSpan.FromSeconds(seconds));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }));
        admin.MapGet("/automation/rule-api/count", (RequestDelegate)(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(new JsonObject { ["rules"] = state.Automation.RuleApi.Count }.ToJsonString());
        }));
    }
}

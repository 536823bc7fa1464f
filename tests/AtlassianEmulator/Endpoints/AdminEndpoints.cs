using System.Text.Json.Serialization.Metadata;

namespace AtlassianEmulator;

/// <summary>
/// The unauthenticated admin API under /_emulator: reseed, settings, faults and the request log.
/// Each route calls the <see cref="EmulatorState"/> member of the same purpose.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        var json = EmulatorJson.Wire;

        routes.MapPost("/reset", (RequestDelegate)(context =>
        {
            state.Reset();
            return NoContent(context);
        }));

        routes.MapGet("/projects", (RequestDelegate)(context => Ok(context, state.Summary, json.SeedSummary)));
        routes.MapPost("/projects", (RequestDelegate)(context => WithBody(context, json.ProjectSeedRequest, request =>
            JsonResult.Of(state.SeedProjects(
                request.Count ?? throw new ArgumentException("count is required."),
                request.Archived ?? 0,
                request.Issues), json.SeedSummary))));

        routes.MapGet("/settings", (RequestDelegate)(context => Ok(context, state.GetSettings(), json.EmulatorSettings)));
        routes.MapPut("/settings", (RequestDelegate)(context => WithBody(context, json.EmulatorSettings, settings =>
            JsonResult.Of(state.UpdateSettings(settings), json.EmulatorSettings))));

        routes.MapPost("/tokens/revoke", (RequestDelegate)(context => WithBody(context, json.RevokeRequest, request =>
        {
            state.RevokeTokens(request.Login ?? throw new ArgumentException("login is required."));
            return Results.NoContent();
        })));

        routes.MapGet("/faults", (RequestDelegate)(context => Ok(context, state.Faults, json.IReadOnlyListFaultRule)));
        routes.MapPost("/faults", (RequestDelegate)(context => WithBody(context, json.FaultSpec, spec =>
        {
            var rule = state.AddFault(spec);
            context.Response.Headers.Location = $"{EmulatorApp.AdminPrefix}/faults/{rule.Id}";
            return JsonResult.Of(rule, json.FaultRule, StatusCodes.Status201Created);
        })));
        routes.MapDelete("/faults", (RequestDelegate)(context =>
        {
            state.ClearFaults();
            return NoContent(context);
        }));
        routes.MapDelete("/faults/{id}", (RequestDelegate)(context =>
            state.RemoveFault((string)context.Request.RouteValues["id"]!)
                ? NoContent(context)
                : JiraErrors.Error(StatusCodes.Status404NotFound, "No such fault.").ExecuteAsync(context)));

        var oauth = state.OAuth;
        routes.MapGet("/oauth/settings", (RequestDelegate)(context => Ok(context, oauth.GetSettings(), json.OAuthSettings)));
        routes.MapPut("/oauth/settings", (RequestDelegate)(context => WithBody(context, json.OAuthSettings, settings =>
            JsonResult.Of(oauth.UpdateSettings(settings), json.OAuthSettings))));
        routes.MapGet("/oauth/apps", (RequestDelegate)(context => Ok(context, oauth.Apps, json.IReadOnlyListOAuthApp)));
        routes.MapPost("/oauth/apps", (RequestDelegate)(context => WithBody(context, json.OAuthAppRequest, request =>
            JsonResult.Of(oauth.RegisterApp(request), json.OAuthApp, StatusCodes.Status201Created))));
        routes.MapPost("/oauth/clock", (RequestDelegate)(context => WithBody(context, json.ClockRequest, request =>
            JsonResult.Of(oauth.AdvanceClock(TimeSpan.FromSeconds(request.AdvanceSeconds ?? throw new ArgumentException("advanceSeconds is required."))), json.ClockState))));
        routes.MapGet("/oauth/issued", (RequestDelegate)(context => Ok(context, oauth.IssuedSecrets(), json.IReadOnlyListIssuedSecret)));
        var automation = state.Automation;
        routes.MapGet("/automation/rules", (RequestDelegate)(context => Ok(context, automation.Rules, json.IReadOnlyListAutomationRule)));
        routes.MapPost("/automation/rules", (RequestDelegate)(context => WithBody(context, json.AutomationRuleSpec, spec =>
        {
            var rule = automation.AddRule(spec);
            context.Response.Headers.Location = $"{EmulatorApp.AdminPrefix}/automation/rules/{rule.Id}";
            return JsonResult.Of(rule, json.AutomationRule, StatusCodes.Status201Created);
        })));
        routes.MapDelete("/automation/rules", (RequestDelegate)(context =>
        {
            automation.ClearRules();
            return NoContent(context);
        }));
        routes.MapDelete("/automation/rules/{id}", (RequestDelegate)(context =>
            automation.RemoveRule((string)context.Request.RouteValues["id"]!)
                ? NoContent(context)
                : JiraErrors.Error(StatusCodes.Status404NotFound, "No such rule.").ExecuteAsync(context)));
        routes.MapGet("/automation/audit", (RequestDelegate)(context => Ok(context, automation.Audit, json.IReadOnlyListAutomationAuditEntry)));
        routes.MapDelete("/automation/audit", (RequestDelegate)(context =>
        {
            automation.ClearAudit();
            return NoContent(context);
        }));
        routes.MapGet("/allowlist", (RequestDelegate)(context => Ok(context, automation.GetAllowlist(), json.AllowlistSettings)));
        routes.MapPut("/allowlist", (RequestDelegate)(context => WithBody(context, json.AllowlistSettings, settings =>
            JsonResult.Of(automation.SetAllowlist(settings), json.AllowlistSettings))));

        routes.MapGet("/requests", (RequestDelegate)(context => Ok(context, state.Requests, json.IReadOnlyListRequestLogEntry)));
        routes.MapDelete("/requests", (RequestDelegate)(context =>
        {
            state.ClearRequests();
            return NoContent(context);
        }));
    }

    private static Task Ok<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo) =>
        JsonResult.Of(value, typeInfo).ExecuteAsync(context);

    private static Task NoContent(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>Reads a JSON body and runs the action; a missing body, bad JSON or invalid values answer 400.</summary>
    private static async Task WithBody<T>(HttpContext context, JsonTypeInfo<T> typeInfo, Func<T, IResult> action)
        where T : class
    {
        var (body, result) = await context.ReadJsonAsync(typeInfo);
        if (result is null)
        {
            try
            {
                result = action(body!);
            }
            catch (ArgumentException ex)
            {
                result = JiraErrors.Error(StatusCodes.Status400BadRequest, ex.Message);
            }
        }

        await result.ExecuteAsync(context);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace AtlassianEmulator;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<ClientCredentialApp>))]
[JsonSerializable(typeof(ClientCredentialRevokeRequest))]
[JsonSerializable(typeof(ServiceAccountSettings))]
internal sealed partial class ServiceAccountJson : JsonSerializerContext
{
}

/// <summary>
/// Service accounts: the client_credentials grant on the Cloud and Data Center token endpoints, and the admin routes
/// that revoke credentials and choose the accepted token-request body. (Tenant info, GET /_edge/tenant_info, is served
/// with the automation rule API.)
/// </summary>
internal static class ServiceAccountEndpoints
{
    public const string DataCenterTokenPath = "/rest/oauth2/latest/token";

    public static void MapDataCenter(IEndpointRouteBuilder routes, EmulatorState state) =>
        routes.MapPost(DataCenterTokenPath, (RequestDelegate)(async context =>
        {
            var (request, form) = await ReadTokenRequestAsync(context);
            IResult result = request is null
                ? OAuthEndpoints.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The request body is not a form or JSON object.")
                : request.GrantType != "client_credentials"
                    ? OAuthEndpoints.OAuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type", "This emulator's Data Center token endpoint serves the client_credentials grant only.")
                    : ClientCredentials(context, state.OAuth, request, form, dataCenter: true);
            await result.ExecuteAsync(context);
        }));

    public static void MapAdmin(IEndpointRouteBuilder routes, EmulatorState state)
    {
        var oauth = state.OAuth;
        var json = ServiceAccountJson.Default;
        routes.MapGet("/service-accounts/credentials", (RequestDelegate)(context =>
            JsonResult.Of(oauth.ClientCredentials, json.IReadOnlyListClientCredentialApp).ExecuteAsync(context)));
        routes.MapPost("/service-accounts/credentials/revoke", (RequestDelegate)(context => Guarded(context, async () =>
        {
            var request = await ReadAsync(context, json.ClientCredentialRevokeRequest);
            oauth.RevokeClientCredential(request?.ClientId ?? throw new ArgumentException("clientId is required."));
            return Results.NoContent();
        })));
        routes.MapGet("/service-accounts/settings", (RequestDelegate)(context =>
            JsonResult.Of(oauth.GetServiceAccountSettings(), json.ServiceAccountSettings).ExecuteAsync(context)));
        routes.MapPut("/service-accounts/settings", (RequestDelegate)(context => Guarded(context, async () =>
        {
            var request = await ReadAsync(context, json.ServiceAccountSettings) ?? throw new ArgumentException("A JSON body is required.");
            return JsonResult.Of(oauth.UpdateServiceAccountSettings(request), json.ServiceAccountSettings);
        })));
    }

    /// <summary>A token request from a form body or a JSON body; null when neither parses. <c>form</c> tells which it was.</summary>
    internal static async Task<(TokenRequestDto? Request, bool Form)> ReadTokenRequestAsync(HttpContext context)
    {
        if (context.Request.HasFormContentType)
        {
            var f = await context.Request.ReadFormAsync(context.RequestAborted);
            static string? Value(Microsoft.AspNetCore.Http.IFormCollection form, string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
            return (new TokenRequestDto
            {
                GrantType = Value(f, "grant_type"),
                ClientId = Value(f, "client_id"),
                ClientSecret = Value(f, "client_secret"),
                Code = Value(f, "code"),
                RedirectUri = Value(f, "redirect_uri"),
                RefreshToken = Value(f, "refresh_token"),
                Scope = Value(f, "scope"),
            }, true);
        }

        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, true);
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync(context.Request.Body, EmulatorJson.Wire.TokenRequestDto, context.RequestAborted), false);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    internal static IResult ClientCredentials(HttpContext context, OAuthServer oauth, TokenRequestDto request, bool form, bool dataCenter)
    {
        if (!oauth.AcceptsClientCredentialsBody(form))
        {
            return form
                ? OAuthEndpoints.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The token request must be a JSON body (Content-Type: application/json).")
                : OAuthEndpoints.OAuthError(StatusCodes.Status400BadRequest, "invalid_request", "The token request must be a form body (Content-Type: application/x-www-form-urlencoded).");
        }

        context.Response.Headers.CacheControl = "no-store";
        return oauth.ExchangeClientCredentials(request, dataCenter) switch
        {
            TokenOutcome.Issued issued => JsonResult.Of(
                new TokenResponseDto { AccessToken = issued.AccessToken, ExpiresIn = issued.ExpiresIn, RefreshToken = null, Scope = issued.Scope },
                EmulatorJson.Wire.TokenResponseDto),
            TokenOutcome.Failed failed => OAuthEndpoints.OAuthError(failed.Status, failed.Error, failed.Description),
            _ => throw new InvalidOperationException("Unknown token outcome."),
        };
    }

    /// <summary>Runs an admin action; invalid input (ArgumentException) answers 400 with a Jira-shaped body.</summary>
    private static async Task Guarded(HttpContext context, Func<Task<IResult>> action)
    {
        IResult result;
        try
        {
            result = await action();
        }
        catch (ArgumentException e)
        {
            result = JiraErrors.Error(StatusCodes.Status400BadRequest, e.Message);
        }

        await result.ExecuteAsync(context);
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("The body is not valid JSON: " + e.Message);
        }
    }
}

namespace AtlassianEmulator;

/// <summary>What the handlers of one REST API version (/rest/api/2 or /rest/api/3) share.</summary>
internal sealed record JiraApi(EmulatorState State, JiraRepresentation Json, string Version)
{
    public string Root => Json.ApiRoot(Version);

    public bool IsCloud => State.Flavor == EmulatorFlavor.Cloud;

    public static bool CanBrowse(UserAccount? user, Project project) => user is not null && user.CanBrowse(project);
}

internal static class JiraRouteExtensions
{
    private static readonly string[] OtherMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch];

    /// <summary>Maps a GET handler of the Jira REST API with its anonymous-access rule; other methods get 405.</summary>
    public static IEndpointConventionBuilder MapJiraGet(this IEndpointRouteBuilder routes, string pattern, JiraAccess access, Func<HttpContext, IResult> handler)
    {
        routes.MapMethods(pattern, OtherMethods, (RequestDelegate)(context =>
        {
            context.Response.Headers.Allow = HttpMethods.Get;
            return JiraErrors.Error(StatusCodes.Status405MethodNotAllowed, $"Method {context.Request.Method} is not allowed for this resource.").ExecuteAsync(context);
        }));
        return routes.MapGet(pattern, (RequestDelegate)(context => handler(context).ExecuteAsync(context))).WithMetadata(access);
    }

    /// <summary>Maps one method of a Jira REST resource with its anonymous-access rule.</summary>
    public static IEndpointConventionBuilder MapJira(this IEndpointRouteBuilder routes, string pattern, string method, JiraAccess access, Func<HttpContext, Task<IResult>> handler) =>
        routes.MapMethods(pattern, [method], (RequestDelegate)(async context => await (await handler(context)).ExecuteAsync(context))).WithMetadata(access);

    /// <summary>405 with Allow for the methods a resource does not serve.</summary>
    public static void MapNotAllowed(this IEndpointRouteBuilder routes, string pattern, params string[] allowed)
    {
        string[] all = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch];
        routes.MapMethods(pattern, all.Except(allowed).ToArray(), (RequestDelegate)(context =>
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return JiraErrors.Error(StatusCodes.Status405MethodNotAllowed, $"Method {context.Request.Method} is not allowed for this resource.").ExecuteAsync(context);
        }));
    }
}

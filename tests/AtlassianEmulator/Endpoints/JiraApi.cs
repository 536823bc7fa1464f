namespace AtlassianEmulator;

/// <summary>What the handlers of one REST API version (/rest/api/2 or /rest/api/3) share.</summary>
internal sealed record JiraApi(EmulatorState State, JiraRepresentation Json, string Version)
{
    public string Root => Json.ApiRoot(Version);

    public bool IsCloud => State.Flavor == EmulatorFlavor.Cloud;

    public static bool CanBrowse(UserAccount? user, Project project) => user is not null && user.CanBrowse(project);

    /// <summary>The project with this id or key when <paramref name="user"/> may browse it; null when Jira answers 404.</summary>
    public Project? VisibleProject(string? idOrKey, UserAccount? user) =>
        idOrKey is not null && State.ProjectCatalog.Find(idOrKey) is { } project && CanBrowse(user, project) ? project : null;

    /// <summary>The issue with this id or key when <paramref name="user"/> may browse its project; null when Jira answers 404.</summary>
    public Issue? VisibleIssue(string? idOrKey, UserAccount? user) =>
        idOrKey is not null && State.IssueCatalog.Find(idOrKey) is { } issue && CanBrowse(user, issue.Project) ? issue : null;
}

internal static class JiraRouteExtensions
{
    private static readonly string[] AllMethods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch];

    /// <summary>Maps a GET handler of the Jira REST API with its anonymous-access rule; other methods get 405.</summary>
    public static void MapJiraGet(this IEndpointRouteBuilder routes, string pattern, JiraAccess access, Func<HttpContext, IResult> handler) =>
        routes.MapJiraMethods(pattern, access, (HttpMethods.Get, context => Task.FromResult(handler(context))));

    /// <summary>Maps the handlers of one resource of the Jira REST API; the methods it does not serve get 405 with Allow.</summary>
    public static void MapJiraMethods(this IEndpointRouteBuilder routes, string pattern, JiraAccess access,
        params (string Method, Func<HttpContext, Task<IResult>> Handler)[] handlers)
    {
        var allow = string.Join(", ", handlers.Select(h => h.Method));
        routes.MapMethods(pattern, AllMethods.Except(handlers.Select(h => h.Method)), (RequestDelegate)(context =>
        {
            context.Response.Headers.Allow = allow;
            return JiraErrors.Error(StatusCodes.Status405MethodNotAllowed, $"Method {context.Request.Method} is not allowed for this resource.").ExecuteAsync(context);
        }));
        foreach (var (method, handler) in handlers)
        {
            routes.MapMethods(pattern, [method], (RequestDelegate)(async context => await (await handler(context)).ExecuteAsync(context))).WithMetadata(access);
        }
    }

    /// <summary>Reads a JSON request body; null with <paramref name="error"/> set when it is missing or not valid JSON.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadJsonAsync<T>(this HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            var body = await System.Text.Json.JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted);
            return body is null
                ? (null, JiraErrors.Error(StatusCodes.Status400BadRequest, "A JSON object body is required."))
                : (body, null);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return (null, JiraErrors.Error(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {ex.Message}"));
        }
    }
}

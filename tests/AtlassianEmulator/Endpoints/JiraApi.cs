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
    /// <summary>Maps a GET handler of the Jira REST API with its anonymous-access rule.</summary>
    public static IEndpointConventionBuilder MapJiraGet(this IEndpointRouteBuilder routes, string pattern, JiraAccess access, Func<HttpContext, IResult> handler) =>
        routes.MapGet(pattern, (RequestDelegate)(context => handler(context).ExecuteAsync(context))).WithMetadata(access);
}

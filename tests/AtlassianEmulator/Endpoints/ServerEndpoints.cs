namespace AtlassianEmulator;

/// <summary>GET serverInfo and GET myself.</summary>
internal static class ServerEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, JiraApi api)
    {
        routes.MapJiraGet("/serverInfo", JiraAccess.Anonymous,
            _ => JsonResult.Of(api.Json.ServerInfo(), EmulatorJson.Wire.ServerInfoDto));

        routes.MapJiraGet("/myself", JiraAccess.Authenticated,
            context => JsonResult.Of(
                api.Json.User(context.CurrentUser()!, api.Version, full: true,
                    withGroups: QueryValues.List(context.Request, "expand").Contains("groups", StringComparer.OrdinalIgnoreCase)),
                EmulatorJson.Wire.UserDto));
    }
}

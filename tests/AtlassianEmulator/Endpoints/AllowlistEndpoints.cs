namespace AtlassianEmulator;

/// <summary>
/// Data Center's allowlist (Administration → System → Allowlist) as REST: GET /rest/whitelist/latest/ answers
/// {"enabled":…,"rules":[{"id","expression","type","allowInbound","authenticationRequired"}]} to system
/// administrators and 403 to anyone else. Atlassian's REST reference does not document this resource; the shape is
/// the emulator's choice (see README.md).
/// </summary>
internal static class AllowlistEndpoints
{
    public const string Path = "/rest/whitelist/latest/";

    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        routes.MapJiraGet(Path, JiraAccess.Authenticated, context =>
            context.CurrentUser() is { SystemAdministrator: true }
                ? JsonResult.Of(state.Automation.GetAllowlist(), EmulatorJson.Wire.AllowlistSettings)
                : JiraErrors.Error(StatusCodes.Status403Forbidden, "You must be a Jira system administrator to view the allowlist."));
    }
}

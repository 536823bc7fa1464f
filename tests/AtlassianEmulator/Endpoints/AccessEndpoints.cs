using System.Globalization;

namespace AtlassianEmulator;

/// <summary>
/// Who may do what: GET mypermissions, POST permissions/check (Cloud), project roles and their actors
/// (GET/POST/DELETE), GET user, GET user/groups (Cloud) and GET user/permission/search (Data Center).
/// </summary>
internal static class AccessEndpoints
{
    private const int MaxBulkProjects = 1000;
    private const string NotAdministrator = "Only Jira administrators can perform this operation.";

    public static void Map(IEndpointRouteBuilder routes, JiraApi api)
    {
        // Cloud answers mypermissions anonymously; Data Center wants a user.
        routes.MapJiraGet("/mypermissions", api.IsCloud ? JiraAccess.Anonymous : JiraAccess.Authenticated, context => MyPermissions(context, api));
        routes.MapJiraGet("/project/{projectIdOrKey}/role", JiraAccess.Authenticated, context => RoleMap(context, api));
        routes.MapJiraMethods("/project/{projectIdOrKey}/role/{id}", JiraAccess.Authenticated,
            (HttpMethods.Get, context => Task.FromResult(GetRole(context, api))),
            (HttpMethods.Post, context => AddActorsAsync(context, api)),
            (HttpMethods.Delete, context => Task.FromResult(RemoveActor(context, api))));
        routes.MapJiraGet("/user", JiraAccess.Authenticated, context => GetUser(context, api));
        if (api.IsCloud)
        {
            routes.MapJiraMethods("/permissions/check", JiraAccess.Anonymous, (HttpMethods.Post, context => CheckPermissionsAsync(context, api)));
            routes.MapJiraGet("/user/groups", JiraAccess.Authenticated, context => UserGroups(context, api));
        }
        else
        {
            routes.MapJiraGet("/user/permission/search", JiraAccess.Authenticated, context => UsersWithPermissions(context, api));
        }
    }

    /// <summary>
    /// The caller's permissions, globally or in a project. Cloud requires <c>permissions</c> (400 when empty);
    /// Data Center returns every permission when it is omitted. A project the caller cannot see is a 404.
    /// </summary>
    private static IResult MyPermissions(HttpContext context, JiraApi api)
    {
        var request = context.Request;
        var user = context.CurrentUser();
        var keys = QueryValues.List(request, "permissions");
        if (api.IsCloud && keys.Count == 0)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest,
                "The permissions parameter is required: pass a comma-separated list of permission keys, for example BROWSE_PROJECTS,EDIT_ISSUES.");
        }

        if (UnknownPermission(keys) is { } unknown)
        {
            return unknown;
        }

        Project? project = null;
        var idOrKey = QueryValues.Single(request, "projectId") is { Length: > 0 } id ? id : QueryValues.Single(request, "projectKey");
        if (!string.IsNullOrEmpty(idOrKey))
        {
            project = api.VisibleProject(idOrKey, user);
            if (project is null)
            {
                return JiraErrors.ProjectNotFound(idOrKey);
            }
        }

        var definitions = keys.Count == 0 ? PermissionCatalog.All : keys.Distinct(StringComparer.Ordinal).Select(k => PermissionCatalog.Find(k)!);
        var permissions = definitions.ToDictionary(d => d.Key, d => new UserPermissionDto
        {
            Id = d.Id,
            Key = d.Key,
            Name = d.Name,
            Type = d.Type,
            Description = d.Description,
            HavePermission = user is not null && Holds(api, user, d, project),
        }, StringComparer.Ordinal);
        return JsonResult.Of(new PermissionsDto { Permissions = permissions }, EmulatorJson.Wire.PermissionsDto);
    }

    /// <summary>A project permission without a project counts when the user holds it in any live project.</summary>
    private static bool Holds(JiraApi api, UserAccount user, PermissionDefinition permission, Project? project)
    {
        var access = api.State.Access;
        if (!permission.IsProjectPermission)
        {
            return access.HasGlobalPermission(user, permission.Key);
        }

        return project is not null
            ? access.HasPermission(user, project, permission.Key)
            : api.State.ProjectCatalog.All.Any(p => !p.Archived && access.HasPermission(user, p, permission.Key));
    }

    /// <summary>
    /// Cloud's bulk check: for each project permission, the projects (of those asked about) where the user holds it.
    /// Checking another user's permissions needs Administer Jira.
    /// </summary>
    private static async Task<IResult> CheckPermissionsAsync(HttpContext context, JiraApi api)
    {
        var (body, error) = await context.ReadJsonAsync(EmulatorJson.Wire.BulkPermissionsRequestDto);
        if (error is not null)
        {
            return error;
        }

        var caller = context.CurrentUser();
        var access = api.State.Access;
        var target = caller;
        if (!string.IsNullOrEmpty(body!.AccountId))
        {
            target = access.FindUser(body.AccountId);
            if (target != caller && !access.IsJiraAdministrator(caller))
            {
                return JiraErrors.Error(StatusCodes.Status403Forbidden, NotAdministrator);
            }

            if (target is null)
            {
                return JiraErrors.Error(StatusCodes.Status400BadRequest, $"The user with account ID '{body.AccountId}' does not exist.");
            }
        }

        var requests = body.ProjectPermissions ?? [];
        if (requests.Any(r => r.Permissions is null || r.Permissions.All(string.IsNullOrEmpty)))
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "At least one project permission is required for each entry of projectPermissions.");
        }

        var keys = requests.SelectMany(r => r.Permissions!).Where(k => !string.IsNullOrEmpty(k)).ToList();
        if (keys.FirstOrDefault(k => PermissionCatalog.Find(k) is not { IsProjectPermission: true }) is { } badKey)
        {
            return JiraErrors.FieldError(StatusCodes.Status400BadRequest, badKey, "Unrecognized permission");
        }

        if (requests.Any(r => r.Projects?.Count > MaxBulkProjects || r.Issues?.Count > MaxBulkProjects))
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, $"At most {MaxBulkProjects} projects and {MaxBulkProjects} issues can be checked.");
        }

        var grants = new Dictionary<string, (SortedSet<long> Projects, SortedSet<long> Issues)>(StringComparer.Ordinal);
        foreach (var entry in requests)
        {
            foreach (var key in entry.Permissions!.Where(k => !string.IsNullOrEmpty(k)))
            {
                if (!grants.TryGetValue(key, out var grant))
                {
                    grants[key] = grant = ([], []);
                }

                foreach (var id in entry.Projects ?? [])
                {
                    if (FindLive(api, id) is { } project && target is not null && access.HasPermission(target, project, key))
                    {
                        grant.Projects.Add(id);
                    }
                }

                foreach (var id in entry.Issues ?? [])
                {
                    if (api.State.IssueCatalog.Find(id.ToString(CultureInfo.InvariantCulture)) is { } issue
                        && target is not null && access.HasPermission(target, issue.Project, key))
                    {
                        grant.Issues.Add(id);
                    }
                }
            }
        }

        var global = (body.GlobalPermissions ?? []).Where(k => target is not null && access.HasGlobalPermission(target, k)).Distinct().ToArray();
        return JsonResult.Of(new BulkPermissionGrantsDto
        {
            GlobalPermissions = global,
            ProjectPermissions = [.. grants.Select(g => new BulkProjectPermissionGrantsDto { Permission = g.Key, Projects = [.. g.Value.Projects], Issues = [.. g.Value.Issues] })],
        }, EmulatorJson.Wire.BulkPermissionGrantsDto);
    }

    /// <summary>Role name → URL of the role in this project; needs Administer Projects there or Administer Jira.</summary>
    private static IResult RoleMap(HttpContext context, JiraApi api) =>
        TryFindProject(context, api, out var project) is { } error
            ? error
            : JsonResult.Of<IReadOnlyDictionary<string, string>>(api.Json.Roles(api.Root, project), EmulatorJson.Wire.IReadOnlyDictionaryStringString);

    private static IResult GetRole(HttpContext context, JiraApi api) =>
        TryFindRole(context, api, out var project, out var role) ?? JsonResult.Of(api.Json.ProjectRole(project, role, api.Version), EmulatorJson.Wire.ProjectRoleDto);

    /// <summary>
    /// Adds users (Cloud: account ids; Data Center: user names) and groups (names, or ids on Cloud). An actor already
    /// in the role is a 400 and nothing is added; an unknown one is a 404 on Cloud and, when none exists, a 410 on Data Center.
    /// </summary>
    private static async Task<IResult> AddActorsAsync(HttpContext context, JiraApi api)
    {
        if (TryFindRole(context, api, out var project, out var role, forChange: true) is { } error)
        {
            return error;
        }

        var (body, bodyError) = await context.ReadJsonAsync(EmulatorJson.Wire.ActorsMapDto);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var access = api.State.Access;
        var userIds = body!.User ?? [];
        var groupIds = (body.Group ?? []).Concat(api.IsCloud ? body.GroupId ?? [] : []).ToList();
        if (body.Group?.Count > 0 && body.GroupId?.Count > 0)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "You can't use both group and groupId.");
        }

        if (userIds.Count + groupIds.Count == 0)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "Specify at least one user or group to add to the project role.");
        }

        var users = userIds.Select(access.FindUser).ToList();
        var groups = groupIds.Select(access.FindGroup).ToList();
        var unknown = userIds.Where((_, i) => users[i] is null).Concat(groupIds.Where((_, i) => groups[i] is null)).ToList();
        if (unknown.Count > 0 && (api.IsCloud || unknown.Count == userIds.Count + groupIds.Count))
        {
            return JiraErrors.Error(api.IsCloud ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone,
                $"We can't find a user or group named '{unknown[0]}'.");
        }

        var present = access.AddActors(project, role, [.. users.OfType<UserAccount>()], [.. groups.OfType<UserGroup>()]);
        if (present.Count > 0)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, $"'{present[0].DisplayName}' is already a member of the project role.");
        }

        return JsonResult.Of(api.Json.ProjectRole(project, role, api.Version), EmulatorJson.Wire.ProjectRoleDto);
    }

    /// <summary>Removes one actor: <c>user</c>, <c>group</c> or (Cloud) <c>groupId</c>; 204, or 404 when it is not in the role.</summary>
    private static IResult RemoveActor(HttpContext context, JiraApi api)
    {
        if (TryFindRole(context, api, out var project, out var role, forChange: true) is { } error)
        {
            return error;
        }

        var request = context.Request;
        var userId = QueryValues.Single(request, "user");
        var groupName = QueryValues.Single(request, "group");
        var groupId = api.IsCloud ? QueryValues.Single(request, "groupId") : null;
        var given = new[] { userId, groupName, groupId }.Count(v => !string.IsNullOrEmpty(v));
        if (given != 1)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "Specify exactly one of user, group or groupId.");
        }

        var access = api.State.Access;
        UserAccount? user = string.IsNullOrEmpty(userId) ? null : access.FindUser(userId);
        UserGroup? group = string.IsNullOrEmpty(groupName ?? groupId) ? null : access.FindGroup((groupName ?? groupId)!);
        if ((user is null && group is null) || !access.RemoveActor(project, role, user, group))
        {
            return JiraErrors.Error(StatusCodes.Status404NotFound,
                $"'{userId ?? groupName ?? groupId}' is not a member of the {role.Name} role in project {project.Key}.");
        }

        return Results.NoContent();
    }

    /// <summary>A user by accountId (Cloud) or username (Data Center); <c>expand=groups</c> lists the groups.</summary>
    private static IResult GetUser(HttpContext context, JiraApi api)
    {
        if (TryFindUser(context, api, out var user) is { } error)
        {
            return error;
        }

        var withGroups = QueryValues.List(context.Request, "expand").Contains("groups", StringComparer.OrdinalIgnoreCase);
        return JsonResult.Of(api.Json.User(user, api.Version, full: true, withGroups), EmulatorJson.Wire.UserDto);
    }

    private static IResult UserGroups(HttpContext context, JiraApi api) =>
        TryFindUser(context, api, out var user) is { } error
            ? error
            : JsonResult.Of<IReadOnlyList<GroupNameDto>>([.. api.State.Access.GroupsOf(user).Select(g => api.Json.GroupName(g, api.Version))], EmulatorJson.Wire.IReadOnlyListGroupNameDto);

    /// <summary>
    /// Data Center: the active users whose name, display name or email starts with <c>username</c> and who hold
    /// every one of <c>permissions</c> in the project. Needs Administer Projects there or Administer Jira.
    /// </summary>
    private static IResult UsersWithPermissions(HttpContext context, JiraApi api)
    {
        var request = context.Request;
        var keys = QueryValues.List(request, "permissions");
        var projectKey = QueryValues.Single(request, "projectKey");
        if (string.IsNullOrEmpty(projectKey) || keys.Count == 0)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "A projectKey and at least one permission are required.");
        }

        if (UnknownPermission(keys) is { } unknown)
        {
            return unknown;
        }

        var caller = context.CurrentUser();
        var project = api.VisibleProject(projectKey, caller);
        if (project is null)
        {
            return JiraErrors.ProjectNotFound(projectKey);
        }

        var access = api.State.Access;
        if (!access.CanAdministerRoles(caller, project))
        {
            return JiraErrors.Error(StatusCodes.Status403Forbidden, "You don't have the permission to search for users with permissions in this project.");
        }

        var prefix = QueryValues.Single(request, "username") ?? string.Empty;
        var matches = api.State.Users
            .Where(u => u.Login.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || u.DisplayName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || u.EmailAddress.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Where(u => keys.All(k => Holds(api, u, PermissionCatalog.Find(k)!, project)))
            .Select(u => api.Json.User(u, api.Version, full: false))
            .ToArray();
        return JsonResult.Of<IReadOnlyList<UserDto>>(matches, EmulatorJson.Wire.IReadOnlyListUserDto);
    }

    private static IResult? UnknownPermission(IEnumerable<string> keys) =>
        keys.FirstOrDefault(k => PermissionCatalog.Find(k) is null) is { } key
            ? JiraErrors.Error(StatusCodes.Status400BadRequest, $"The permission key '{key}' is not valid. Use the keys of GET permissions, for example BROWSE_PROJECTS.")
            : null;

    private static Project? FindLive(JiraApi api, long id) =>
        api.State.ProjectCatalog.Find(id.ToString(CultureInfo.InvariantCulture)) is { Archived: false } project ? project : null;

    /// <summary>The project of the route, when the caller may see it and administer its roles; otherwise the 404 to send.</summary>
    private static IResult? TryFindProject(HttpContext context, JiraApi api, out Project project)
    {
        var idOrKey = (string)context.Request.RouteValues["projectIdOrKey"]!;
        var user = context.CurrentUser();
        project = api.VisibleProject(idOrKey, user)!;
        return project is null || !api.State.Access.CanAdministerRoles(user, project)
            ? JiraErrors.ProjectNotFound(idOrKey)
            : null;
    }

    /// <summary>
    /// The project and role of the route. Reading without Administer Projects is a 404; changing is a 401 on Cloud
    /// (as Atlassian documents for POST) and a 404 on Data Center.
    /// </summary>
    private static IResult? TryFindRole(HttpContext context, JiraApi api, out Project project, out ProjectRoleDefinition role, bool forChange = false)
    {
        role = null!;
        var idOrKey = (string)context.Request.RouteValues["projectIdOrKey"]!;
        var user = context.CurrentUser();
        project = api.VisibleProject(idOrKey, user)!;
        if (project is null)
        {
            return JiraErrors.ProjectNotFound(idOrKey);
        }

        if (!api.State.Access.CanAdministerRoles(user, project))
        {
            return forChange && api.IsCloud && HttpMethods.IsPost(context.Request.Method)
                ? JiraErrors.Error(StatusCodes.Status401Unauthorized, $"You cannot edit the configuration of this project: Administer Projects in {project.Key} or Administer Jira is required.")
                : JiraErrors.Error(StatusCodes.Status404NotFound, $"No project could be found with key '{idOrKey}' or you do not have permission to administer its roles.");
        }

        var idText = (string)context.Request.RouteValues["id"]!;
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || api.State.Access.FindRole(id) is not { } found)
        {
            return JiraErrors.Error(StatusCodes.Status404NotFound, $"Can not retrieve a role actor for a null project role or project: no role with id {idText}.");
        }

        role = found;
        return null;
    }

    /// <summary>The user named by accountId (Cloud) or username (Data Center), or the 400/404 to send.</summary>
    private static IResult? TryFindUser(HttpContext context, JiraApi api, out UserAccount user)
    {
        var name = api.IsCloud ? "accountId" : "username";
        var id = QueryValues.Single(context.Request, name);
        user = null!;
        if (string.IsNullOrEmpty(id))
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, $"The {name} parameter is required.");
        }

        user = api.State.Access.FindUser(id)!;
        return user is null
            ? JiraErrors.Error(StatusCodes.Status404NotFound, api.IsCloud ? $"The user with account ID '{id}' does not exist." : $"The user named '{id}' does not exist.")
            : null;
    }
}

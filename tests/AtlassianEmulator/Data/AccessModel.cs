using System.Collections.Concurrent;

namespace AtlassianEmulator;

/// <summary>A project role; its permissions come from the one permission scheme every seeded project uses.</summary>
public sealed record ProjectRoleDefinition(long Id, string Name, string Description, IReadOnlySet<string> Permissions);

/// <summary>A group of users. Cloud groups have an id; Data Center groups are known by name only.</summary>
public sealed record UserGroup(string Name, string? GroupId, IReadOnlySet<string> Members);

/// <summary>A member of a project role: a user or a group.</summary>
public sealed record RoleActor(long Id, UserAccount? User, UserGroup? Group)
{
    public string DisplayName => User?.DisplayName ?? Group!.Name;
}

/// <summary>
/// Who may do what in which project: the project roles with their user and group actors, the groups and their
/// members, and the permission scheme that turns role membership into project permissions. Seeded per
/// project position (see README.md); role actors can be changed through the REST API and are reset with the seed.
/// Members of jira-administrators hold Administer Jira: they see every project in listings and may read and
/// change every project's roles, but they get project permissions (BROWSE_PROJECTS and the rest) only through roles.
/// </summary>
public sealed class AccessModel
{
    public const string AdministratorsRole = "Administrators";
    public const string JiraAdministratorsGroup = "jira-administrators";
    public const string SoftwareUsersGroup = "jira-software-users";
    public const string IntegrationAdminsGroup = "integration-admins";

    /// <summary>The first id of actors added at run time; seeded actors have smaller ids.</summary>
    private const long FirstAddedActorId = 90_000_000;

    private static readonly string[] UserPermissions = ["BROWSE_PROJECTS", "CREATE_ISSUES", "ADD_COMMENTS", "LINK_ISSUES", "CREATE_ATTACHMENTS", "VIEW_READONLY_WORKFLOW"];

    private static readonly string[] DeveloperPermissions =
    [
        .. UserPermissions, "EDIT_ISSUES", "TRANSITION_ISSUES", "ASSIGN_ISSUES", "ASSIGNABLE_USER", "RESOLVE_ISSUES", "CLOSE_ISSUES",
        "SCHEDULE_ISSUES", "MOVE_ISSUES", "DELETE_ISSUES", "WORK_ON_ISSUES", "VIEW_DEV_TOOLS",
    ];

    private readonly Dictionary<string, UserAccount> _usersById;
    private readonly ConcurrentDictionary<(int Position, long RoleId), RoleActor[]> _changed = new();
    private readonly Lock _changeGate = new();
    private long _nextActorId = FirstAddedActorId;

    public AccessModel(EmulatorFlavor flavor, IReadOnlyList<UserAccount> users)
    {
        Flavor = flavor;
        _usersById = users.ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
        var cloud = flavor == EmulatorFlavor.Cloud;
        var admin = SeedUsers.Admin(flavor).Id;
        var limited = SeedUsers.Limited(flavor).Id;
        Groups =
        [
            new UserGroup(IntegrationAdminsGroup, cloud ? "8f2b6c1e-3d4a-4b7e-9c2d-5e1f0a9b3c7d" : null, Set(admin)),
            new UserGroup(JiraAdministratorsGroup, cloud ? "276f955c-63d7-42c8-9520-92d01dca0625" : null, Set(admin)),
            new UserGroup(SoftwareUsersGroup, cloud ? "952d12c3-5b5b-4d04-bb32-44d383afc4b2" : null, Set(admin, limited)),
        ];

        // Role ids as each product ships them: Cloud's defaults differ from Data Center's.
        Roles =
        [
            new ProjectRoleDefinition(10002, AdministratorsRole, "A project role that represents administrators in a project", PermissionCatalog.ProjectKeys),
            new ProjectRoleDefinition(cloud ? 10000 : 10001, "Developers", "A project role that represents developers in a project", Keys(DeveloperPermissions)),
            new ProjectRoleDefinition(cloud ? 10001 : 10000, "Users", "A project role that represents users in a project", Keys(UserPermissions)),
        ];
    }

    public EmulatorFlavor Flavor { get; }

    /// <summary>Administrators, Developers, Users; shared by every project.</summary>
    public IReadOnlyList<ProjectRoleDefinition> Roles { get; }

    /// <summary>integration-admins, jira-administrators, jira-software-users, in name order.</summary>
    public IReadOnlyList<UserGroup> Groups { get; }

    public ProjectRoleDefinition? FindRole(long id) => Roles.FirstOrDefault(r => r.Id == id);

    /// <summary>A group by name (case-insensitive) or, on Cloud, by group id.</summary>
    public UserGroup? FindGroup(string nameOrId) =>
        Groups.FirstOrDefault(g => string.Equals(g.Name, nameOrId, StringComparison.OrdinalIgnoreCase) || g.GroupId == nameOrId);

    /// <summary>A user by account id (Cloud) or user name (Data Center).</summary>
    public UserAccount? FindUser(string id) => _usersById.GetValueOrDefault(id);

    public IReadOnlyList<UserGroup> GroupsOf(UserAccount user) => Groups.Where(g => g.Members.Contains(user.Id)).ToArray();

    /// <summary>The Administer Jira global permission.</summary>
    public bool IsJiraAdministrator(UserAccount? user) =>
        user is not null && FindGroup(JiraAdministratorsGroup)!.Members.Contains(user.Id);

    /// <summary>Whether the user holds a global permission.</summary>
    public bool HasGlobalPermission(UserAccount user, string key) =>
        PermissionCatalog.EveryoneGlobal.Contains(key) || (key == PermissionCatalog.Administer && IsJiraAdministrator(user));

    /// <summary>The actors of a role in a project, sorted by display name.</summary>
    public IReadOnlyList<RoleActor> Actors(Project project, ProjectRoleDefinition role) =>
        _changed.TryGetValue((project.Position, role.Id), out var changed) ? changed : SeedActors(project, role);

    /// <summary>Adds actors; returns the ones already in the role (then nothing is added).</summary>
    public IReadOnlyList<RoleActor> AddActors(Project project, ProjectRoleDefinition role, IReadOnlyList<UserAccount> users, IReadOnlyList<UserGroup> groups)
    {
        lock (_changeGate)
        {
            var current = Actors(project, role);
            var present = current.Where(a => (a.User is { } u && users.Contains(u)) || (a.Group is { } g && groups.Contains(g))).ToArray();
            if (present.Length > 0)
            {
                return present;
            }

            var added = users.Distinct().Select(u => new RoleActor(Interlocked.Increment(ref _nextActorId), u, null))
                .Concat(groups.Distinct().Select(g => new RoleActor(Interlocked.Increment(ref _nextActorId), null, g)));
            _changed[(project.Position, role.Id)] = Sorted(current.Concat(added));
            return [];
        }
    }

    /// <summary>Removes a user or group actor; false when it was not in the role.</summary>
    public bool RemoveActor(Project project, ProjectRoleDefinition role, UserAccount? user, UserGroup? group)
    {
        lock (_changeGate)
        {
            var current = Actors(project, role);
            var remaining = current.Where(a => !(user is not null && a.User == user) && !(group is not null && a.Group == group)).ToArray();
            if (remaining.Length == current.Count)
            {
                return false;
            }

            _changed[(project.Position, role.Id)] = remaining;
            return true;
        }
    }

    /// <summary>Whether the user is an actor of the role directly or through one of its groups.</summary>
    public bool IsInRole(UserAccount user, Project project, ProjectRoleDefinition role) =>
        Actors(project, role).Any(a => a.User == user || (a.Group is { } g && g.Members.Contains(user.Id)));

    public bool HasPermission(UserAccount user, Project project, string key) =>
        Roles.Any(r => r.Permissions.Contains(key) && IsInRole(user, project, r));

    /// <summary>May read and change the project's role actors: Administer Projects there, or Administer Jira.</summary>
    public bool CanAdministerRoles(UserAccount? user, Project project) =>
        user is not null && (IsJiraAdministrator(user) || HasPermission(user, project, PermissionCatalog.AdministerProjects));

    /// <summary>
    /// The seed: by project position modulo 8 the admin is in Administrators directly (0, 3, 7), through the group
    /// jira-administrators (1), both (6), only in Users (2: lacks EDIT, TRANSITION, ASSIGN and DELETE), in no role
    /// (4: lacks everything, BROWSE_PROJECTS included) or only in Developers (5: every default permission, not the role).
    /// The limited user is in Users in the projects at even positions.
    /// </summary>
    private RoleActor[] SeedActors(Project project, ProjectRoleDefinition role)
    {
        var admin = SeedUsers.Admin(Flavor);
        var limited = SeedUsers.Limited(Flavor);
        var actors = new List<(UserAccount? User, UserGroup? Group)>();
        var slot = project.Position % 8;
        switch (role.Name)
        {
            case AdministratorsRole:
                if (slot is 0 or 3 or 6 or 7)
                {
                    actors.Add((admin, null));
                }

                if (slot is 1 or 6)
                {
                    actors.Add((null, FindGroup(JiraAdministratorsGroup)));
                }

                break;
            case "Developers":
                if (slot == 5)
                {
                    actors.Add((admin, null));
                }

                break;
            default:
                if (slot == 2)
                {
                    actors.Add((admin, null));
                }

                if (project.Position % 2 == 0)
                {
                    actors.Add((limited, null));
                }

                break;
        }

        var baseId = 10_000L + ((long)project.Position * 16) + ((role.Id % 10) * 4);
        return Sorted(actors.Select((a, i) => new RoleActor(baseId + i, a.User, a.Group)));
    }

    private static RoleActor[] Sorted(IEnumerable<RoleActor> actors) =>
        [.. actors.OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id)];

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.OrdinalIgnoreCase);

    /// <summary>Permission keys are case-sensitive, as in Jira.</summary>
    private static HashSet<string> Keys(string[] values) => new(values, StringComparer.Ordinal);
}

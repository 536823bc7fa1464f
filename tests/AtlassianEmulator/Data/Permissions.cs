namespace AtlassianEmulator;

/// <summary>A Jira permission as GET mypermissions describes it.</summary>
public sealed record PermissionDefinition(string Key, string Id, string Name, string Type, string Description)
{
    public bool IsProjectPermission => Type == "PROJECT";
}

/// <summary>The permissions the emulator knows: Jira's built-in project permissions and a few global ones.</summary>
public static class PermissionCatalog
{
    public const string Administer = "ADMINISTER";
    public const string AdministerProjects = "ADMINISTER_PROJECTS";

    public static IReadOnlyList<PermissionDefinition> All { get; } =
    [
        Project("ADMINISTER_PROJECTS", "23", "Administer Projects", "Ability to administer a project in Jira."),
        Project("BROWSE_PROJECTS", "10", "Browse Projects", "Ability to browse projects and the issues within them."),
        Project("VIEW_DEV_TOOLS", "29", "View Development Tools", "Allows users in a software project to view development-related information on the issue."),
        Project("VIEW_READONLY_WORKFLOW", "45", "View Read-Only Workflow", "Users with this permission may view a read-only version of a workflow."),
        Project("CREATE_ISSUES", "11", "Create Issues", "Ability to create issues."),
        Project("EDIT_ISSUES", "12", "Edit Issues", "Ability to edit issues."),
        Project("TRANSITION_ISSUES", "46", "Transition Issues", "Ability to transition issues."),
        Project("SCHEDULE_ISSUES", "28", "Schedule Issues", "Ability to set or edit an issue's due date."),
        Project("MOVE_ISSUES", "25", "Move Issues", "Ability to move issues between projects or between workflows of the same project."),
        Project("ASSIGN_ISSUES", "13", "Assign Issues", "Ability to assign issues to other people."),
        Project("ASSIGNABLE_USER", "17", "Assignable User", "Users with this permission may be assigned to issues."),
        Project("RESOLVE_ISSUES", "14", "Resolve Issues", "Ability to resolve and reopen issues."),
        Project("CLOSE_ISSUES", "18", "Close Issues", "Ability to close issues."),
        Project("MODIFY_REPORTER", "30", "Modify Reporter", "Ability to modify the reporter when creating or editing an issue."),
        Project("DELETE_ISSUES", "16", "Delete Issues", "Ability to delete issues."),
        Project("LINK_ISSUES", "21", "Link Issues", "Ability to link issues together and create linked issues."),
        Project("ADD_COMMENTS", "15", "Add Comments", "Ability to comment on issues."),
        Project("EDIT_ALL_COMMENTS", "34", "Edit All Comments", "Ability to edit all comments made on issues."),
        Project("DELETE_ALL_COMMENTS", "36", "Delete All Comments", "Ability to delete all comments made on issues."),
        Project("CREATE_ATTACHMENTS", "19", "Create Attachments", "Users with this permission may create attachments."),
        Project("DELETE_ALL_ATTACHMENTS", "38", "Delete All Attachments", "Users with this permission may delete all attachments."),
        Project("WORK_ON_ISSUES", "20", "Work On Issues", "Ability to log work done against an issue."),
        Global(Administer, "0", "Administer Jira", "Ability to perform most administration functions (excluding Import & Export, SMTP Configuration, etc.)."),
        Global("USER_PICKER", "27", "Browse users and groups", "Ability to select a user or group from a popup window and the ability to use the 'share' issues feature."),
        Global("CREATE_SHARED_OBJECTS", "22", "Share dashboards and filters", "Ability to share dashboards and filters with other users, groups and roles."),
        Global("BULK_CHANGE", "33", "Make bulk changes", "Ability to modify a collection of issues at once."),
    ];

    private static readonly Dictionary<string, PermissionDefinition> ByKey = All.ToDictionary(p => p.Key, StringComparer.Ordinal);

    /// <summary>Every project permission key.</summary>
    public static IReadOnlySet<string> ProjectKeys { get; } = All.Where(p => p.IsProjectPermission).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>Global permissions every signed-in user holds.</summary>
    public static IReadOnlySet<string> EveryoneGlobal { get; } = new HashSet<string>(["USER_PICKER", "CREATE_SHARED_OBJECTS", "BULK_CHANGE"], StringComparer.Ordinal);

    /// <summary>Keys are case-sensitive, as in Jira.</summary>
    public static PermissionDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    private static PermissionDefinition Project(string key, string id, string name, string description) => new(key, id, name, "PROJECT", description);

    private static PermissionDefinition Global(string key, string id, string name, string description) => new(key, id, name, "GLOBAL", description);
}

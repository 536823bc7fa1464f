using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AtlassianEmulator;

/// <summary>Which optional parts of a project to include.</summary>
[Flags]
internal enum ProjectParts
{
    Basic = 0,
    Description = 1,
    Lead = 2,
    IssueTypes = 4,

    /// <summary>Everything GET /project/{key} returns.</summary>
    Full = Description | Lead | IssueTypes | 8,
}

/// <summary>The rendered fields of one issue, in Jira's order, as raw JSON values.</summary>
internal sealed class IssueFieldsJson(IReadOnlyList<KeyValuePair<string, byte[]>> fields)
{
    public IReadOnlyList<KeyValuePair<string, byte[]>> Fields { get; } = fields;
}

/// <summary>
/// Turns seed data into the JSON representations of the chosen flavor. URLs point back at the emulator,
/// so self links and avatars are followable.
/// </summary>
internal sealed class JiraRepresentation(EmulatorState state, string pathPrefix = "")
{
    public const string CloudVersion = "1001.0.0-SNAPSHOT";
    public const string DataCenterVersion = "10.3.24";
    private const string CloudProjectExpand = "description,lead,issueTypes,url,projectKeys,permissions,insight";
    private const string DataCenterProjectExpand = "description,lead,url,projectKeys";
    private const string IssueExpand = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

    private static readonly EmulatorJson Json = EmulatorJson.Wire;

    /// <summary>The cache slots of this representation: links differ between the site and the gateway.</summary>
    private readonly RenderVariant _variant = pathPrefix.Length > 0 ? RenderVariant.Gateway : RenderVariant.Site;

    private bool IsCloud => state.Flavor == EmulatorFlavor.Cloud;

    /// <summary>Where links point: the site, or the API gateway's /ex/jira/{cloudId} in front of it.</summary>
    private string Base => state.BaseAddress + pathPrefix;

    public string ApiRoot(string apiVersion) => $"{Base}/rest/api/{apiVersion}";

    public ServerInfoDto ServerInfo() => IsCloud
        ? new ServerInfoDto
        {
            BaseUrl = Base,
            Version = CloudVersion,
            VersionNumbers = [1001, 0, 0],
            DeploymentType = "Cloud",
            BuildNumber = 100290,
            BuildDate = "2025-01-06T00:00:00.000+0000",
            ServerTime = JiraTime.Format(DateTimeOffset.UtcNow),
            ScmInfo = "8e1c5a0f2b7d4c3e9a6f1b0d2c4e6a8b0d1f3e5a",
            ServerTitle = "Jira",
        }
        : new ServerInfoDto
        {
            BaseUrl = Base,
            Version = DataCenterVersion,
            VersionNumbers = [10, 3, 24],
            DeploymentType = "DataCenter",
            BuildNumber = 10030024,
            BuildDate = "2025-10-14T00:00:00.000+0000",
            ServerTime = JiraTime.Format(DateTimeOffset.UtcNow),
            ScmInfo = "3f9d2b6e1a4c7f0e5d8b2a9c6e3f1d4b7a0c5e8f",
            ServerTitle = "Jira",
        };

    /// <summary>
    /// A user; <paramref name="full"/> adds what /myself returns (locale, group and role counts), and
    /// <paramref name="withGroups"/> lists the groups (expand=groups).
    /// </summary>
    public UserDto User(UserAccount user, string apiVersion, bool full, bool withGroups = false)
    {
        var groups = full ? state.Access.GroupsOf(user) : [];
        var api = ApiRoot(apiVersion);
        return new UserDto
        {
            Self = IsCloud ? $"{api}/user?accountId={user.AccountId}" : $"{api}/user?username={user.Name}",
            Key = user.Key,
            AccountId = user.AccountId,
            AccountType = IsCloud ? "atlassian" : null,
            Name = user.Name,
            EmailAddress = user.EmailAddress,
            AvatarUrls = Avatars($"{Base}/secure/useravatar", IsCloud ? $"accountId={user.AccountId}" : $"ownerId={user.Name}"),
            DisplayName = user.DisplayName,
            Active = true,
            TimeZone = "Etc/UTC",
            Locale = full ? "en_US" : null,
            Groups = full ? new GroupListDto { Size = groups.Count, Items = withGroups ? [.. groups.Select(g => GroupName(g, apiVersion))] : [] } : null,
            ApplicationRoles = full ? new SimpleListDto { Size = 1 } : null,
            Expand = full ? "groups,applicationRoles" : null,
        };
    }

    /// <summary>The list form of a project (what /project and /project/search return), cached.</summary>
    public byte[] ProjectListJson(Project project, string apiVersion) =>
        state.ProjectCatalog.JsonCache.GetOrRender(_variant, apiVersion, project.Position, project, project, // immutable: its own state
            (p, _, v) => Serialize(Project(p, v, ProjectParts.Basic), Json.ProjectDto));

    public ProjectDto Project(Project project, string apiVersion, ProjectParts parts)
    {
        var api = ApiRoot(apiVersion);
        var full = parts.HasFlag(ProjectParts.Full);
        return new ProjectDto
        {
            Expand = IsCloud ? CloudProjectExpand : DataCenterProjectExpand,
            Self = $"{api}/project/{project.Id}",
            Id = project.Id,
            Key = project.Key,
            Description = parts.HasFlag(ProjectParts.Description) ? project.Description : null,
            Lead = parts.HasFlag(ProjectParts.Lead) ? User(SeedUsers.Admin(state.Flavor), apiVersion, full: false) : null,
            Components = full ? [] : null,
            IssueTypes = parts.HasFlag(ProjectParts.IssueTypes) ? IssueCatalog.Types.Select(t => IssueType(t, api)).ToArray() : null,
            AssigneeType = full ? "UNASSIGNED" : null,
            Versions = full ? [] : null,
            Name = project.Name,
            Roles = full ? Roles(api, project) : null,
            AvatarUrls = ProjectAvatars(project),
            ProjectCategory = project.Category is { } c
                ? new ProjectCategoryDto { Self = $"{api}/projectCategory/{c.Id}", Id = c.Id, Name = c.Name, Description = c.Description }
                : null,
            ProjectTypeKey = project.TypeKey,
            Simplified = IsCloud ? project.Simplified : null,
            Style = IsCloud ? project.Style : null,
            IsPrivate = IsCloud ? false : null,
            Archived = IsCloud && !project.Archived ? null : project.Archived,
            ArchivedDate = project.ArchivedDate is { } archived ? JiraTime.Format(archived) : null,
            ArchivedBy = IsCloud && project.Archived ? User(SeedUsers.Admin(state.Flavor), apiVersion, full: false) : null,
            Properties = IsCloud ? new Dictionary<string, string>() : null,
        };
    }

    /// <summary>Writes an issue with the selected fields.</summary>
    public void WriteIssue(Utf8JsonWriter writer, Issue issue, string apiVersion, FieldSelection fields)
    {
        writer.WriteStartObject();
        writer.WriteString("expand", IssueExpand);
        writer.WriteString("id", issue.Id);
        writer.WriteString("self", $"{ApiRoot(apiVersion)}/issue/{issue.Id}");
        writer.WriteString("key", issue.Key);
        if (!fields.IsEmpty)
        {
            writer.WriteStartObject("fields");
            foreach (var (name, json) in IssueFields(issue, apiVersion).Fields)
            {
                if (fields.Includes(name))
                {
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(json, skipInputValidation: true);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private IssueFieldsJson IssueFields(Issue issue, string apiVersion) =>
        state.IssueCatalog.FieldCache.GetOrRender(_variant, apiVersion, issue.Index, issue, issue.State, RenderIssueFields);

    /// <summary>The fields of an issue in one state (<paramref name="snapshot"/>, read once by the caller).</summary>
    private IssueFieldsJson RenderIssueFields(Issue issue, IssueState snapshot, string apiVersion)
    {
        var api = ApiRoot(apiVersion);
        var description = $"Seeded issue {issue.Key}: {issue.Summary}.";
        var project = issue.Project;
        return new IssueFieldsJson(
        [
            new("summary", Serialize(issue.Summary, Json.String)),
            new("description", apiVersion == "3" ? Serialize(Adf(description), Json.AdfNode) : Serialize(description, Json.String)),
            new("status", Serialize(Status(snapshot.Status, api), Json.StatusDto)),
            new("priority", Serialize(new PriorityDto
            {
                Self = $"{api}/priority/{issue.Priority.Id}",
                IconUrl = $"{Base}/images/icons/priorities/{issue.Priority.Name.ToLowerInvariant()}.svg",
                Name = issue.Priority.Name,
                Id = issue.Priority.Id,
            }, Json.PriorityDto)),
            new("issuetype", Serialize(IssueType(issue.Type, api), Json.IssueTypeDto)),
            new("project", Serialize(new ProjectDto
            {
                Self = $"{api}/project/{project.Id}",
                Id = project.Id,
                Key = project.Key,
                Name = project.Name,
                ProjectTypeKey = project.TypeKey,
                Simplified = IsCloud ? project.Simplified : null,
                AvatarUrls = ProjectAvatars(project),
            }, Json.ProjectDto)),
            new("assignee", issue.Assignee is { } assignee ? Serialize(User(assignee, apiVersion, full: false), Json.UserDto) : "null"u8.ToArray()),
            new("reporter", Serialize(User(issue.Reporter, apiVersion, full: false), Json.UserDto)),
            new("created", Serialize(JiraTime.Format(issue.Created), Json.String)),
            new("updated", Serialize(JiraTime.Format(snapshot.Updated), Json.String)),
            new("labels", Serialize(issue.Labels, Json.IReadOnlyListString)),
            .. snapshot.Sla is { } sla ? [new KeyValuePair<string, byte[]>(SlaFieldId, System.Text.Encoding.UTF8.GetBytes(SlaField(issue, sla).ToJsonString(RelaxedJson)))] : Array.Empty<KeyValuePair<string, byte[]>>(),
        ]);
    }

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The custom field of a Service Management SLA ("Time to resolution" on a new service project).</summary>
    public const string SlaFieldId = "customfield_10030";

    /// <summary>An SLA field as Jira shows it on an issue: the ongoing cycle with its goal, elapsed and remaining time.</summary>
    private System.Text.Json.Nodes.JsonObject SlaField(Issue issue, IssueSla sla)
    {
        var now = DateTimeOffset.UtcNow;
        var elapsed = now - sla.Started;
        var remaining = sla.Goal - elapsed;
        return new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = sla.Id,
            ["name"] = sla.Name,
            ["_links"] = new System.Text.Json.Nodes.JsonObject { ["self"] = $"{Base}/rest/servicedeskapi/request/{issue.Id}/sla/{sla.Id}" },
            ["completedCycles"] = new System.Text.Json.Nodes.JsonArray(),
            ["ongoingCycle"] = new System.Text.Json.Nodes.JsonObject
            {
                ["startTime"] = SlaTime(sla.Started),
                ["breachTime"] = SlaTime(sla.Started + sla.Goal),
                ["breached"] = sla.Breached,
                ["paused"] = false,
                ["withinCalendarHours"] = true,
                ["goalDuration"] = SlaDuration(sla.Goal),
                ["elapsedTime"] = SlaDuration(elapsed),
                ["remainingTime"] = SlaDuration(remaining),
            },
            ["slaDisplayFormat"] = "NEW_SLA_FORMAT",
        };
    }

    private static System.Text.Json.Nodes.JsonObject SlaTime(DateTimeOffset when) => new()
    {
        ["iso8601"] = when.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture),
        ["jira"] = JiraTime.Format(when),
        ["friendly"] = when.ToUniversalTime().ToString("dd/MMM/yy h:mm tt", System.Globalization.CultureInfo.InvariantCulture),
        ["epochMillis"] = when.ToUnixTimeMilliseconds(),
    };

    private static System.Text.Json.Nodes.JsonObject SlaDuration(TimeSpan span)
    {
        var minutes = (long)Math.Round(Math.Abs(span.TotalMinutes));
        var friendly = (span < TimeSpan.Zero ? "-" : string.Empty) + (minutes >= 60 ? $"{minutes / 60}h" + (minutes % 60 > 0 ? $" {minutes % 60}m" : string.Empty) : $"{minutes}m");
        return new() { ["millis"] = (long)span.TotalMilliseconds, ["friendly"] = friendly };
    }

    public StatusDto Status(IssueStatus status, string api) => new()
    {
        Self = $"{api}/status/{status.Id}",
        Description = status.Description,
        IconUrl = $"{Base}/images/icons/statuses/generic.png",
        Name = status.Name,
        Id = status.Id,
        StatusCategory = new StatusCategoryDto
        {
            Self = $"{api}/statuscategory/{status.CategoryId}",
            Id = status.CategoryId,
            Key = status.CategoryKey,
            ColorName = status.CategoryColor,
            Name = status.CategoryName,
        },
    };

    private IssueTypeDto IssueType(IssueType type, string api) => new()
    {
        Self = $"{api}/issuetype/{type.Id}",
        Id = type.Id,
        Description = type.Description,
        IconUrl = $"{Base}/secure/viewavatar?size=xsmall&avatarId=10318&avatarType=issuetype",
        Name = type.Name,
        Subtask = type.Subtask,
        AvatarId = 10318,
        HierarchyLevel = IsCloud ? type.HierarchyLevel : null,
    };

    /// <summary>The project's roles: name → URL of the role in this project.</summary>
    public Dictionary<string, string> Roles(string api, Project project) =>
        state.Access.Roles.OrderBy(r => r.Name, StringComparer.Ordinal).ToDictionary(r => r.Name, r => RoleUrl(api, project, r));

    public GroupNameDto GroupName(UserGroup group, string apiVersion) => new()
    {
        Name = group.Name,
        GroupId = group.GroupId,
        Self = IsCloud
            ? $"{ApiRoot(apiVersion)}/group?groupId={group.GroupId}"
            : $"{ApiRoot(apiVersion)}/group?groupname={Uri.EscapeDataString(group.Name)}",
    };

    /// <summary>A project role with its actors, as GET project/{key}/role/{id} returns it.</summary>
    public ProjectRoleDto ProjectRole(Project project, ProjectRoleDefinition role, string apiVersion) => new()
    {
        Self = RoleUrl(ApiRoot(apiVersion), project, role),
        Name = role.Name,
        Id = role.Id,
        Description = role.Description,
        Actors = [.. state.Access.Actors(project, role).Select(RoleActor)],
    };

    private RoleActorDto RoleActor(RoleActor actor) => actor.User is { } user
        ? new RoleActorDto
        {
            Id = actor.Id,
            DisplayName = user.DisplayName,
            Type = "atlassian-user-role-actor",
            Name = IsCloud ? null : user.Name,
            ActorUser = IsCloud ? new RoleActorUserDto { AccountId = user.AccountId! } : null,
        }
        : new RoleActorDto
        {
            Id = actor.Id,
            DisplayName = actor.Group!.Name,
            Type = "atlassian-group-role-actor",
            Name = actor.Group.Name,
            ActorGroup = IsCloud ? new RoleActorGroupDto { Name = actor.Group.Name, DisplayName = actor.Group.Name, GroupId = actor.Group.GroupId } : null,
        };

    private static string RoleUrl(string api, Project project, ProjectRoleDefinition role) => $"{api}/project/{project.Id}/role/{role.Id}";

    private AvatarUrlsDto ProjectAvatars(Project project) =>
        Avatars($"{Base}/secure/projectavatar", $"pid={project.Id}");

    private static AvatarUrlsDto Avatars(string path, string owner) => new()
    {
        Large = $"{path}?size=large&{owner}",
        Small = $"{path}?size=small&{owner}",
        XSmall = $"{path}?size=xsmall&{owner}",
        Medium = $"{path}?size=medium&{owner}",
    };

    private static AdfNode Adf(string text) => new()
    {
        Type = "doc",
        Version = 1,
        Content = [new AdfNode { Type = "paragraph", Content = [new AdfNode { Type = "text", Text = text }] }],
    };

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
}

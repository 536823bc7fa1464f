using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;

namespace AtlassianEmulator;

/// <summary>GET project, GET project/search (Cloud) and GET project/{projectIdOrKey}.</summary>
internal static class ProjectEndpoints
{
    private const int SearchDefaultPageSize = 50;
    private const int SearchMaxPageSize = 100;

    private static readonly string[] Statuses = ["live", "archived", "deleted"];
    private static readonly string[] Actions = ["view", "browse", "edit", "create"];

    public static void Map(IEndpointRouteBuilder routes, JiraApi api)
    {
        routes.MapJiraGet("/project", JiraAccess.Anonymous, context => List(context, api));
        if (api.IsCloud)
        {
            routes.MapJiraGet("/project/search", JiraAccess.Anonymous, context => Search(context, api));
        }

        routes.MapJiraGet("/project/{projectIdOrKey}", JiraAccess.Anonymous, context => Get(context, api));
    }

    /// <summary>Every browsable project, unpaged (Data Center adds archived ones with includeArchived=true).</summary>
    private static IResult List(HttpContext context, JiraApi api)
    {
        var includeArchived = !api.IsCloud && QueryValues.Flag(context.Request, "includeArchived");
        var projects = Browsable(context.CurrentUser(), api, live: true, archived: includeArchived);
        var parts = ExpandParts(context.Request);
        return new JsonResult(StatusCodes.Status200OK, async body =>
        {
            body.Writer.WriteStartArray();
            foreach (var project in projects)
            {
                WriteProject(body.Writer, project, api, parts);
                await body.FlushIfFullAsync();
            }

            body.Writer.WriteEndArray();
        });
    }

    private static IResult Get(HttpContext context, JiraApi api)
    {
        var idOrKey = (string)context.Request.RouteValues["projectIdOrKey"]!;
        return api.VisibleProject(idOrKey, context.CurrentUser()) is { } project
            ? JsonResult.Of(api.Json.Project(project, api.Version, ProjectParts.Full), EmulatorJson.Wire.ProjectDto)
            : JiraErrors.ProjectNotFound(idOrKey);
    }

    /// <summary>Cloud's paged, filtered project search. An empty result set is a 404, as documented.</summary>
    private static IResult Search(HttpContext context, JiraApi api)
    {
        var request = context.Request;
        IResult?[] errors =
        [
            QueryValues.TryReadPage(request, SearchDefaultPageSize, SearchMaxPageSize, out var page),
            ProjectOrder.TryParse(QueryValues.Single(request, "orderBy"), out var order),
            TryReadChoice(request, "status", Statuses, "live", out var statuses),
            TryReadChoice(request, "action", Actions, "view", out var actions),
        ];
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            return error;
        }

        var user = context.CurrentUser();
        var candidates = Browsable(user, api, live: statuses.Contains("live"), archived: statuses.Contains("archived"));
        var matches = Filter(candidates, request, api.State.ProjectCatalog);
        if (!actions.Contains("view") && !actions.Contains("browse") && user?.Visibility != ProjectVisibility.All)
        {
            matches = [];
        }

        if (matches.Count == 0)
        {
            return JiraErrors.Error(StatusCodes.Status404NotFound, JiraErrors.NoProjectsMatch);
        }

        var ordered = order.Apply(matches);
        var parts = ExpandParts(request);
        var isLast = page.IsLast(ordered.Count);
        return new JsonResult(StatusCodes.Status200OK, async body =>
        {
            var writer = body.Writer;
            writer.WriteStartObject();
            writer.WriteString("self", PageUrl(api, request, page.StartAt, page.MaxResults));
            if (!isLast)
            {
                writer.WriteString("nextPage", PageUrl(api, request, page.StartAt + page.MaxResults, page.MaxResults));
            }

            writer.WriteNumber("maxResults", page.MaxResults);
            writer.WriteNumber("startAt", page.StartAt);
            writer.WriteNumber("total", ordered.Count);
            writer.WriteBoolean("isLast", isLast);
            writer.WriteStartArray("values");
            foreach (var project in page.Slice(ordered))
            {
                WriteProject(writer, project, api, parts);
                await body.FlushIfFullAsync();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static IReadOnlyList<Project> Browsable(UserAccount? user, JiraApi api, bool live, bool archived) =>
        user is null ? [] : api.State.ProjectCatalog.Browsable(user.Visibility, live, archived);

    /// <summary>Applies keys, id, query, typeKey and categoryId; looks keys and ids up directly when given.</summary>
    private static IReadOnlyList<Project> Filter(IReadOnlyList<Project> candidates, HttpRequest request, ProjectCatalog catalog)
    {
        var keys = QueryValues.List(request, "keys");
        var ids = QueryValues.List(request, "id");
        var query = QueryValues.Single(request, "query");
        var typeKeys = QueryValues.List(request, "typeKey");
        var categoryId = QueryValues.Single(request, "categoryId");
        if (keys.Count == 0 && ids.Count == 0 && string.IsNullOrEmpty(query) && typeKeys.Count == 0 && string.IsNullOrEmpty(categoryId))
        {
            return candidates;
        }

        IEnumerable<Project> result = candidates;
        if (keys.Count > 0 || ids.Count > 0)
        {
            // Look the few named projects up instead of scanning every candidate.
            var allowed = candidates as Project[] ?? [.. candidates];
            result = keys.Concat(ids).Select(catalog.Find).OfType<Project>().Distinct()
                .Where(p => Array.BinarySearch(allowed, p, PositionComparer.Instance) >= 0)
                .Where(p => (keys.Count == 0 || keys.Contains(p.Key, StringComparer.OrdinalIgnoreCase)) && (ids.Count == 0 || ids.Contains(p.Id)))
                .OrderBy(p => p.Position);
        }

        if (!string.IsNullOrEmpty(query))
        {
            result = result.Where(p => p.Key.Contains(query, StringComparison.OrdinalIgnoreCase) || p.Name.Contains(query, StringComparison.OrdinalIgnoreCase));
        }

        if (typeKeys.Count > 0)
        {
            result = result.Where(p => typeKeys.Contains(p.TypeKey, StringComparer.OrdinalIgnoreCase));
        }

        if (!string.IsNullOrEmpty(categoryId))
        {
            result = result.Where(p => p.Category?.Id == categoryId);
        }

        return result.ToArray();
    }

    private static void WriteProject(Utf8JsonWriter writer, Project project, JiraApi api, ProjectParts parts)
    {
        if (parts == ProjectParts.Basic)
        {
            writer.WriteRawValue(api.Json.ProjectListJson(project, api.Version), skipInputValidation: true);
        }
        else
        {
            JsonSerializer.Serialize(writer, api.Json.Project(project, api.Version, parts), EmulatorJson.Wire.ProjectDto);
        }
    }

    private static ProjectParts ExpandParts(HttpRequest request)
    {
        var parts = ProjectParts.Basic;
        foreach (var item in QueryValues.List(request, "expand"))
        {
            parts |= item.ToLowerInvariant() switch
            {
                "description" => ProjectParts.Description,
                "lead" => ProjectParts.Lead,
                "issuetypes" => ProjectParts.IssueTypes,
                _ => ProjectParts.Basic,
            };
        }

        return parts;
    }

    /// <summary>A list parameter whose values must come from <paramref name="allowed"/>.</summary>
    private static IResult? TryReadChoice(HttpRequest request, string name, string[] allowed, string whenAbsent, out HashSet<string> values)
    {
        values = new HashSet<string>(QueryValues.List(request, name), StringComparer.OrdinalIgnoreCase);
        if (values.Count == 0)
        {
            values.Add(whenAbsent);
        }

        var invalid = values.FirstOrDefault(v => !allowed.Contains(v, StringComparer.OrdinalIgnoreCase));
        return invalid is null
            ? null
            : JiraErrors.Error(StatusCodes.Status400BadRequest, $"Invalid {name} value '{invalid}'. Valid values are: {string.Join(", ", allowed)}.");
    }

    private static string PageUrl(JiraApi api, HttpRequest request, int startAt, int maxResults)
    {
        var query = new QueryBuilder(request.Query
            .Where(p => p.Key is not ("startAt" or "maxResults"))
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? string.Empty))))
        {
            { "startAt", startAt.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            { "maxResults", maxResults.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        return $"{api.Root}/project/search{query.ToQueryString()}";
    }

    private sealed class PositionComparer : IComparer<Project>
    {
        public static readonly PositionComparer Instance = new();

        public int Compare(Project? x, Project? y) => (x?.Position ?? -1).CompareTo(y?.Position ?? -1);
    }
}

/// <summary>The orderBy parameter of project search: a field with an optional + or - prefix.</summary>
internal sealed record ProjectOrder(string Field, bool Descending)
{
    private static readonly string[] Fields = ["key", "name", "category", "owner", "issueCount", "lastIssueUpdatedTime", "archivedDate", "deletedDate"];

    public static IResult? TryParse(string? text, out ProjectOrder order)
    {
        order = new ProjectOrder("key", false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var descending = text.StartsWith('-');
        var field = text.TrimStart('+', '-');
        var known = Fields.FirstOrDefault(f => f.Equals(field, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, $"Invalid orderBy value '{text}'. Valid values are: {string.Join(", ", Fields)}, each optionally prefixed with + or -.");
        }

        order = new ProjectOrder(known, descending);
        return null;
    }

    /// <summary>Sorts by the field; fields every seeded project shares (owner, issue count, dates) fall back to key order.</summary>
    public IReadOnlyList<Project> Apply(IReadOnlyList<Project> projects)
    {
        if (Field == "key" && !Descending)
        {
            return projects;
        }

        IOrderedEnumerable<Project> sorted = Field switch
        {
            "name" => Order(projects, p => p.Name),
            "category" => Order(projects, p => p.Category?.Name ?? string.Empty),
            _ => Order(projects, p => string.Empty),
        };
        return sorted.ThenBy(p => p.Key, Descending ? ReverseOrdinal.Instance : StringComparer.Ordinal).ToArray();
    }

    private IOrderedEnumerable<Project> Order(IEnumerable<Project> projects, Func<Project, string> key) =>
        Descending
            ? projects.OrderByDescending(key, StringComparer.OrdinalIgnoreCase)
            : projects.OrderBy(key, StringComparer.OrdinalIgnoreCase);

    private sealed class ReverseOrdinal : IComparer<string>
    {
        public static readonly ReverseOrdinal Instance = new();

        public int Compare(string? x, string? y) => string.CompareOrdinal(y, x);
    }
}

using System.Globalization;
using System.Text;

namespace AtlassianEmulator;

/// <summary>Issue search (Cloud: GET search/jql; Data Center: GET search) and GET issue/{issueIdOrKey}.</summary>
internal static class IssueEndpoints
{
    private const int DefaultPageSize = 50;
    private const int CloudMaxPageSize = 100;
    private const int CloudMaxIdPageSize = 5000;
    private const int DataCenterMaxPageSize = 1000;
    private const string PageTokenPrefix = "emu-offset:";

    public const string UnboundedJql = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";
    public const string SearchRemoved =
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

    /// <param name="issueWrites">Also serve PUT issue/{issueIdOrKey} (edits), as the site does and the API gateway does not.</param>
    public static void Map(IEndpointRouteBuilder routes, JiraApi api, bool issueWrites = false)
    {
        if (api.IsCloud)
        {
            routes.MapJiraGet("/search/jql", JiraAccess.Anonymous, context => SearchJql(context, api));
            routes.MapJiraGet("/search", JiraAccess.Anonymous, _ => JiraErrors.Error(StatusCodes.Status410Gone, SearchRemoved));
        }
        else
        {
            routes.MapJiraGet("/search", JiraAccess.Anonymous, context => Search(context, api));
        }

        if (issueWrites)
        {
            routes.MapJiraMethods("/issue/{issueIdOrKey}", JiraAccess.Authenticated,
                (HttpMethods.Get, context => Task.FromResult(Get(context, api))),
                (HttpMethods.Put, context => IssueWriteEndpoints.EditAsync(context, api)));
        }
        else
        {
            routes.MapJiraGet("/issue/{issueIdOrKey}", JiraAccess.Authenticated, context => Get(context, api));
        }
    }

    private static IResult Get(HttpContext context, JiraApi api)
    {
        if (api.VisibleIssue((string)context.Request.RouteValues["issueIdOrKey"]!, context.CurrentUser()) is not { } issue)
        {
            return JiraErrors.Error(StatusCodes.Status404NotFound, JiraErrors.IssueNotFound);
        }

        var fields = FieldSelection.Parse(context.Request.Query["fields"], FieldSelection.AllFields);
        return new JsonResult(StatusCodes.Status200OK, body =>
        {
            api.Json.WriteIssue(body.Writer, issue, api.Version, fields);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Cloud's token-paged search; only the id comes back unless fields are asked for.</summary>
    private static IResult SearchJql(HttpContext context, JiraApi api)
    {
        var request = context.Request;
        var fields = FieldSelection.Parse(request.Query["fields"], FieldSelection.NoFields);
        IResult?[] errors =
        [
            QueryValues.TryReadCount(request, "maxResults", DefaultPageSize, out var maxResults),
            TryReadPageToken(QueryValues.Single(request, "nextPageToken"), out var startAt),
            TryFind(context, api, QueryValues.Single(request, "jql"), requireBound: true, out var matches),
        ];
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            return error;
        }

        var page = new PageRequest(startAt, Math.Clamp(maxResults, 1, fields.IsEmpty ? CloudMaxIdPageSize : CloudMaxPageSize));
        var isLast = page.IsLast(matches.Count);
        return new JsonResult(StatusCodes.Status200OK, async body =>
        {
            var writer = body.Writer;
            writer.WriteStartObject();
            await WriteIssuesAsync(body, api, page.Slice(matches), fields);
            if (!isLast)
            {
                writer.WriteString("nextPageToken", EncodePageToken(page.StartAt + page.MaxResults));
            }

            writer.WriteBoolean("isLast", isLast);
            writer.WriteEndObject();
        });
    }

    /// <summary>Data Center's offset-paged search with a total.</summary>
    private static IResult Search(HttpContext context, JiraApi api)
    {
        var request = context.Request;
        var fields = FieldSelection.Parse(request.Query["fields"], FieldSelection.AllFields);
        IResult?[] errors =
        [
            QueryValues.TryReadPage(request, DefaultPageSize, DataCenterMaxPageSize, out var page),
            TryFind(context, api, QueryValues.Single(request, "jql"), requireBound: false, out var matches),
        ];
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            return error;
        }

        return new JsonResult(StatusCodes.Status200OK, async body =>
        {
            var writer = body.Writer;
            writer.WriteStartObject();
            writer.WriteString("expand", "schema,names");
            writer.WriteNumber("startAt", page.StartAt);
            writer.WriteNumber("maxResults", page.MaxResults);
            writer.WriteNumber("total", matches.Count);
            await WriteIssuesAsync(body, api, page.Slice(matches), fields);
            writer.WriteEndObject();
        });
    }

    private static async ValueTask WriteIssuesAsync(JsonBody body, JiraApi api, IEnumerable<Issue> issues, FieldSelection fields)
    {
        body.Writer.WriteStartArray("issues");
        foreach (var issue in issues)
        {
            api.Json.WriteIssue(body.Writer, issue, api.Version, fields);
            await body.FlushIfFullAsync();
        }

        body.Writer.WriteEndArray();
    }

    /// <summary>The browsable issues matching the JQL, in issue-number order.</summary>
    private static IResult? TryFind(HttpContext context, JiraApi api, string? jql, bool requireBound, out IReadOnlyList<Issue> matches)
    {
        matches = [];
        var user = context.CurrentUser();
        Func<Issue, bool>? predicate;
        try
        {
            predicate = Jql.Parse(jql, key => api.VisibleProject(key, user), user);
        }
        catch (JqlException ex)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, ex.Message);
        }

        if (predicate is null && requireBound)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, UnboundedJql);
        }

        matches = api.State.IssueCatalog.All
            .Where(i => JiraApi.CanBrowse(user, i.Project) && (predicate is null || predicate(i)))
            .ToArray();
        return null;
    }

    private static string EncodePageToken(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(PageTokenPrefix + offset.ToString(CultureInfo.InvariantCulture)));

    private static IResult? TryReadPageToken(string? token, out int offset)
    {
        offset = 0;
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(PageTokenPrefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(PageTokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return null;
            }
        }
        catch (FormatException)
        {
        }

        offset = 0;
        return JiraErrors.Error(StatusCodes.Status400BadRequest, "The provided next page token is invalid or expired.");
    }
}

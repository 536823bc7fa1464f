using System.Text.Json;

namespace AtlassianEmulator;

/// <summary>
/// POST issue (create), PUT issue/{issueIdOrKey} (edit) and GET/POST issue/{issueIdOrKey}/transitions, with the
/// simplified workflow To Do (11) → In Progress (21) → Done (31). Creating, editing and transitioning fire the automation
/// rules; the admin API raises SLA breaches on service-desk issues, which fire the SLA rules.
/// </summary>
internal static class IssueWriteEndpoints
{
    private static readonly (string Id, string Name, IssueStatus To)[] Workflow =
    [
        ("11", "To Do", IssueCatalog.Statuses[0]),
        ("21", "In Progress", IssueCatalog.Statuses[1]),
        ("31", "Done", IssueCatalog.Statuses[2]),
    ];

    public static void Map(IEndpointRouteBuilder routes, JiraApi api)
    {
        routes.MapJiraMethods("/issue", JiraAccess.Authenticated, (HttpMethods.Post, context => CreateAsync(context, api)));
        routes.MapJiraMethods("/issue/{issueIdOrKey}/transitions", JiraAccess.Authenticated,
            (HttpMethods.Get, context => Task.FromResult(Transitions(context, api))),
            (HttpMethods.Post, context => TransitionAsync(context, api)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, JiraApi api)
    {
        var user = context.CurrentUser()!;
        using var body = await ReadJsonAsync(context);
        if (body?.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "Can not deserialize the request: a JSON object with \"fields\" is expected.");
        }

        var errors = new Dictionary<string, string>();
        var projectRef = Reference(fields, "project", "key");
        var project = api.VisibleProject(projectRef, user);
        if (project is null || project.Archived)
        {
            errors["project"] = "valid project is required";
        }

        var summary = fields.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()!.Trim() : string.Empty;
        if (summary.Length == 0)
        {
            errors["summary"] = "You must specify a summary of the issue.";
        }

        var typeRef = Reference(fields, "issuetype", "name");
        var type = IssueCatalog.Types.FirstOrDefault(t => t.Id == typeRef || t.Name.Equals(typeRef, StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            errors["issuetype"] = "valid issue type is required";
        }

        var priorityRef = Reference(fields, "priority", "name");
        var priority = priorityRef is null ? IssueCatalog.Priorities[0]
            : IssueCatalog.Priorities.FirstOrDefault(p => p.Id == priorityRef || p.Name.Equals(priorityRef, StringComparison.OrdinalIgnoreCase));
        if (priority is null)
        {
            errors["priority"] = $"The priority selected is invalid.";
        }

        if (errors.Count > 0)
        {
            return JiraErrors.FieldErrors(StatusCodes.Status400BadRequest, errors);
        }

        var labels = fields.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
            : [];
        var issue = api.State.IssueCatalog.Add(project!, summary, type!, priority!, labels, user);
        Fire(api, AutomationRule.IssueCreated, issue, user);
        return JsonResult.Of(new CreatedIssueDto { Id = issue.Id, Key = issue.Key, Self = $"{api.Root}/issue/{issue.Id}" }, EmulatorJson.Wire.CreatedIssueDto, StatusCodes.Status201Created);
    }

    /// <summary>The fields PUT issue can set here: summary, priority and labels (fields and update.labels add/remove/set).</summary>
    internal static async Task<IResult> EditAsync(HttpContext context, JiraApi api)
    {
        if (RouteIssue(context, api) is not { } issue)
        {
            return JiraErrors.Error(StatusCodes.Status404NotFound, JiraErrors.IssueNotFound);
        }

        using var body = await ReadJsonAsync(context);
        if (body?.RootElement.ValueKind != JsonValueKind.Object)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "Can not deserialize the request: a JSON object with \"fields\" or \"update\" is expected.");
        }

        var root = body.RootElement;
        var fields = root.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        var update = root.TryGetProperty("update", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        var errors = new Dictionary<string, string>();
        string? summary = null;
        IssuePriority? priority = null;
        List<string>? labels = null;
        if (fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "summary" when field.Value.ValueKind == JsonValueKind.String && field.Value.GetString()!.Trim().Length > 0:
                        summary = field.Value.GetString()!.Trim();
                        break;
                    case "summary":
                        errors["summary"] = "You must specify a summary of the issue.";
                        break;
                    case "priority":
                        var priorityRef = Reference(fields, "priority", "name");
                        priority = IssueCatalog.Priorities.FirstOrDefault(p => p.Id == priorityRef || p.Name.Equals(priorityRef, StringComparison.OrdinalIgnoreCase));
                        if (priority is null)
                        {
                            errors["priority"] = "The priority selected is invalid.";
                        }

                        break;
                    case "labels" when field.Value.ValueKind == JsonValueKind.Array:
                        labels = [.. field.Value.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)];
                        break;
                    default:
                        errors[field.Name] = $"Field '{field.Name}' cannot be set. It is not on the appropriate screen, or unknown.";
                        break;
                }
            }
        }

        if (update.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in update.EnumerateObject())
            {
                if (field.Name != "labels" || field.Value.ValueKind != JsonValueKind.Array)
                {
                    errors[field.Name] = $"Field '{field.Name}' cannot be set. It is not on the appropriate screen, or unknown.";
                    continue;
                }

                labels ??= [.. issue.Labels];
                foreach (var operation in field.Value.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.Object).SelectMany(o => o.EnumerateObject()))
                {
                    var label = operation.Value.ValueKind == JsonValueKind.String ? operation.Value.GetString()! : null;
                    switch (operation.Name)
                    {
                        case "add" when label is not null && !labels.Contains(label):
                            labels.Add(label);
                            break;
                        case "remove" when label is not null:
                            labels.Remove(label);
                            break;
                        case "set" when operation.Value.ValueKind == JsonValueKind.Array:
                            labels = [.. operation.Value.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)];
                            break;
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            return JiraErrors.FieldErrors(StatusCodes.Status400BadRequest, errors);
        }

        var changed = api.State.IssueCatalog.Edit(issue, summary, priority, labels);
        if (changed.Count > 0)
        {
            Fire(api, AutomationRule.FieldValueChanged, issue, context.CurrentUser()!, changedFields: changed);
        }

        return Results.NoContent();
    }

    /// <summary>POST /_emulator/issues/{issueIdOrKey}/sla/breach {"name"?,"goalMinutes"?}: breaches an SLA of a service-desk issue and fires the SLA rules.</summary>
    public static void MapAdmin(IEndpointRouteBuilder admin, JiraApi api)
    {
        admin.MapPost("/issues/{issueIdOrKey}/sla/breach", (RequestDelegate)(async context =>
        {
            var issue = api.State.IssueCatalog.Find((string)context.Request.RouteValues["issueIdOrKey"]!);
            if (issue is null)
            {
                await JiraErrors.Error(StatusCodes.Status404NotFound, JiraErrors.IssueNotFound).ExecuteAsync(context);
                return;
            }

            if (issue.Project.TypeKey != "service_desk")
            {
                await JiraErrors.Error(StatusCodes.Status400BadRequest, $"{issue.Key} is not in a service project: SLAs belong to Jira Service Management projects (type service_desk).").ExecuteAsync(context);
                return;
            }

            using var body = context.Request.ContentLength is 0 ? null : await ReadJsonAsync(context);
            var root = body?.RootElement;
            var name = root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "Time to resolution";
            var goalMinutes = root is { ValueKind: JsonValueKind.Object } g && g.TryGetProperty("goalMinutes", out var m) && m.TryGetInt32(out var minutes) && minutes > 0 ? minutes : 240;
            var sla = api.State.IssueCatalog.BreachSla(issue, name, TimeSpan.FromMinutes(goalMinutes));
            Fire(api, AutomationRule.SlaThresholdBreached, issue, api.State.Users.First());
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new System.Text.Json.Nodes.JsonObject
            {
                ["issueKey"] = issue.Key,
                ["sla"] = sla.Name,
                ["field"] = JiraRepresentation.SlaFieldId,
                ["breached"] = sla.Breached,
            }.ToJsonString());
        }));
    }

    private static IResult Transitions(HttpContext context, JiraApi api)
    {
        if (RouteIssue(context, api) is not { } issue)
        {
            return JiraErrors.Error(StatusCodes.Status404NotFound, JiraErrors.IssueNotFound);
        }

        var transitions = Workflow.Where(t => t.To.Id != issue.Status.Id).Select(t => new TransitionDto
        {
            Id = t.Id,
            Name = t.Name,
            To = api.Json.Status(t.To, api.Root),
            HasScreen = api.IsCloud ? false : null,
            IsGlobal = api.IsCloud ? true : null,
            IsInitial = api.IsCloud ? false : null,
            IsAvailable = api.IsCloud ? true : null,
            IsConditional = api.IsCloud ? false : null,
            IsLooped = api.IsCloud ? false : null,
        }).ToArray();
        return JsonResult.Of(new TransitionsDto { Expand = api.IsCloud ? "transitions" : null, Transitions = transitions }, EmulatorJson.Wire.TransitionsDto);
    }

    private static async Task<IResult> TransitionAsync(HttpContext context, JiraApi api)
    {
        if (RouteIssue(context, api) is not { } issue)
        {
            return JiraErrors.Error(StatusCodes.Status404NotFound, JiraErrors.IssueNotFound);
        }

        using var body = await ReadJsonAsync(context);
        var id = body?.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("transition", out var t) && t.ValueKind == JsonValueKind.Object
            ? Reference(body.RootElement, "transition", "name")
            : null;
        if (id is null)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, "Missing 'transition' identifier");
        }

        var step = Workflow.FirstOrDefault(w => w.Id == id || w.Name.Equals(id, StringComparison.OrdinalIgnoreCase));
        if (step.To is null || step.To.Id == issue.Status.Id)
        {
            return JiraErrors.Error(StatusCodes.Status400BadRequest, $"Transition id '{id}' is not valid for this issue.");
        }

        var from = issue.Status.Name;
        api.State.IssueCatalog.Transition(issue, step.To);
        Fire(api, AutomationRule.IssueTransitioned, issue, context.CurrentUser()!, from);
        return Results.NoContent();
    }

    /// <summary>Hands the event to the rules, which render the issue (REST v2, as webhooks carry it) at this moment when one applies.</summary>
    private static void Fire(JiraApi api, string trigger, Issue issue, UserAccount initiator, string? fromStatus = null, IReadOnlyCollection<string>? changedFields = null) =>
        api.State.Automation.Fire(trigger, issue, () => Payload(api, issue, initiator), fromStatus, changedFields);

    private static AutomationPayload Payload(JiraApi api, Issue issue, UserAccount initiator)
    {
        using var issueStream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(issueStream, EmulatorJson.WriterOptions))
        {
            api.Json.WriteIssue(writer, issue, "2", FieldSelection.AllFields);
        }

        var user = JsonSerializer.SerializeToUtf8Bytes(api.Json.User(initiator, "2", full: false), EmulatorJson.Wire.UserDto);
        return new AutomationPayload(issueStream.ToArray(), user);
    }

    private static Issue? RouteIssue(HttpContext context, JiraApi api) =>
        api.VisibleIssue((string)context.Request.RouteValues["issueIdOrKey"]!, context.CurrentUser());

    /// <summary>{"project":{"key":"DEV"}} or {"project":{"id":"10000"}}: the key/name or id given.</summary>
    private static string? Reference(JsonElement fields, string field, string nameProperty)
    {
        if (!fields.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in new[] { "id", nameProperty })
        {
            if (value.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String)
            {
                return p.GetString();
            }
        }

        return null;
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

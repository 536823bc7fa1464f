#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>Every endpoint of both flavors, success and error, validated against the OpenAPI documents.</summary>
public sealed class ResponseContractTests
{
    public static TheoryData<EmulatorFlavor> Flavors => [EmulatorFlavor.Cloud, EmulatorFlavor.DataCenter];

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task ServerInfo_conforms_for_admin_and_anonymous(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var admin = await emulator.GetValidAsync($"{emulator.Api}/serverInfo", Seeded.Admin(flavor), 200);
        await emulator.GetValidAsync($"{emulator.Api}/serverInfo", null, 200);

        Assert.Equal(emulator.State.BaseUrl.ToString().TrimEnd('/'), admin.Json.GetProperty("baseUrl").GetString());
        Assert.Equal(flavor == EmulatorFlavor.Cloud ? "Cloud" : "DataCenter", admin.Json.GetProperty("deploymentType").GetString());
        Assert.Equal(flavor == EmulatorFlavor.Cloud ? "1001.0.0-SNAPSHOT" : "10.3.24", admin.Json.GetProperty("version").GetString());
    }

    [Fact]
    public async Task DataCenter_serverInfo_also_fits_the_detailed_cloud_shape()
    {
        // The Data Center document leaves ServerInfoBean open; Cloud's ServerInformation names every field.
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);
        var response = await emulator.GetAsync("rest/api/2/serverInfo");

        var errors = ReferenceDocuments.Cloud.Validator.Validate(ReferenceDocuments.Cloud.Schema("ServerInformation"), response.Json);

        Assert.Empty(errors);
        Assert.Equal([10, 3, 24], response.Json.GetProperty("versionNumbers").EnumerateArray().Select(n => n.GetInt32()));
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Myself_conforms_for_each_user_and_401_for_anonymous(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var admin = await emulator.GetValidAsync($"{emulator.Api}/myself", Seeded.Admin(flavor), 200);
        var limited = await emulator.GetValidAsync($"{emulator.Api}/myself", Seeded.Limited(flavor), 200);
        var anonymous = await emulator.GetValidAsync($"{emulator.Api}/myself", null, 401);

        Assert.Equal("Ada Admin", admin.Json.GetProperty("displayName").GetString());
        Assert.Equal("Lee Limited", limited.Json.GetProperty("displayName").GetString());
        Assert.Equal("admin@example.com", admin.Json.GetProperty("emailAddress").GetString());
        if (flavor == EmulatorFlavor.Cloud)
        {
            Assert.Equal(Seeded.CloudAdminAccountId, admin.Json.GetProperty("accountId").GetString());
            Assert.Equal("atlassian", admin.Json.GetProperty("accountType").GetString());
        }
        else
        {
            Assert.Equal("admin", admin.Json.GetProperty("name").GetString());
        }

        Assert.Equal(
            "You are not authenticated. Authentication required to perform this operation.",
            anonymous.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Project_list_conforms(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var admin = await emulator.GetValidAsync($"{emulator.Api}/project", Seeded.Admin(flavor), 200);
        var expanded = await emulator.GetValidAsync($"{emulator.Api}/project?expand=description,lead,issueTypes", Seeded.Admin(flavor), 200);
        var anonymous = await emulator.GetValidAsync($"{emulator.Api}/project", null, 200);

        Assert.Equal(25, admin.Json.GetArrayLength());
        Assert.True(expanded.Json[0].TryGetProperty("lead", out _));
        Assert.Equal(0, anonymous.Json.GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Project_by_key_or_id_conforms_and_unknown_is_404(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var byKey = await emulator.GetValidAsync($"{emulator.Api}/project/IT", Seeded.Admin(flavor), 200);
        var byId = await emulator.GetValidAsync($"{emulator.Api}/project/10000", Seeded.Admin(flavor), 200);
        var unknown = await emulator.GetValidAsync($"{emulator.Api}/project/NOPE", Seeded.Admin(flavor), 404);
        await emulator.GetValidAsync($"{emulator.Api}/project/FIN", Seeded.Limited(flavor), 404);

        Assert.Equal("IT Service Desk", byKey.Json.GetProperty("name").GetString());
        Assert.Equal("service_desk", byKey.Json.GetProperty("projectTypeKey").GetString());
        Assert.Equal("DEV", byId.Json.GetProperty("key").GetString());
        Assert.Equal("No project could be found with key 'NOPE'.", unknown.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Issue_conforms_and_unknown_is_404(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var issue = await emulator.GetValidAsync($"{emulator.Api}/issue/DEV-2", Seeded.Admin(flavor), 200);
        var selected = await emulator.GetValidAsync($"{emulator.Api}/issue/10001?fields=summary,status", Seeded.Admin(flavor), 200);
        var missing = await emulator.GetValidAsync($"{emulator.Api}/issue/DEV-9999", Seeded.Admin(flavor), 404);
        await emulator.GetValidAsync($"{emulator.Api}/issue/DEV-2", null, 401);

        var fields = issue.Json.GetProperty("fields");
        foreach (var name in new[] { "summary", "status", "priority", "issuetype", "project", "assignee", "reporter", "created", "updated", "labels" })
        {
            Assert.True(fields.TryGetProperty(name, out _), $"field {name} is missing");
        }

        Assert.Equal(["summary", "status"], selected.Json.GetProperty("fields").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Issue does not exist or you do not have permission to see it.", missing.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Fact]
    public async Task Cloud_serves_serverInfo_myself_and_project_under_api_2_too()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        await emulator.GetValidAsync("rest/api/2/serverInfo", null, 200);
        await emulator.GetValidAsync("rest/api/2/myself", Seeded.CloudAdmin, 200);
        var projects = await emulator.GetValidAsync("rest/api/2/project", Seeded.CloudAdmin, 200);

        Assert.StartsWith(emulator.State.BaseUrl + "rest/api/2/project/", projects.Json[0].GetProperty("self").GetString());
    }

    [Fact]
    public async Task Cloud_project_search_conforms_with_filters_ordering_and_expand()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var page = await emulator.GetValidAsync("rest/api/3/project/search", Seeded.CloudAdmin, 200);
        var query = await emulator.GetValidAsync("rest/api/3/project/search?query=desk", Seeded.CloudAdmin, 200);
        var keys = await emulator.GetValidAsync("rest/api/3/project/search?keys=HR&keys=IT,DEV", Seeded.CloudAdmin, 200);
        var byName = await emulator.GetValidAsync("rest/api/3/project/search?orderBy=-name&typeKey=business", Seeded.CloudAdmin, 200);
        await emulator.GetValidAsync("rest/api/3/project/search?expand=description,lead,issueTypes", Seeded.CloudAdmin, 200);

        Assert.Equal(50, page.Json.GetProperty("maxResults").GetInt32());
        Assert.Equal(25, page.Json.GetProperty("total").GetInt32());
        Assert.True(page.Json.GetProperty("isLast").GetBoolean());
        Assert.False(page.Json.TryGetProperty("nextPage", out _));
        Assert.Equal(["IT"], Keys(query));
        Assert.Equal(["DEV", "HR", "IT"], Keys(keys));
        var names = byName.Json.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).ToList();
        Assert.Equal(names.OrderByDescending(n => n, StringComparer.OrdinalIgnoreCase), names);
        Assert.All(byName.Json.GetProperty("values").EnumerateArray(), v => Assert.Equal("business", v.GetProperty("projectTypeKey").GetString()));
    }

    [Fact]
    public async Task Cloud_project_search_errors_conform()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var none = await emulator.GetValidAsync("rest/api/3/project/search?query=no-such-project", Seeded.CloudAdmin, 404);
        await emulator.GetValidAsync("rest/api/3/project/search?orderBy=colour", Seeded.CloudAdmin, 400);
        await emulator.GetValidAsync("rest/api/3/project/search?maxResults=lots", Seeded.CloudAdmin, 400);
        await emulator.GetValidAsync("rest/api/3/project/search?status=frozen", Seeded.CloudAdmin, 400);

        Assert.Equal("No projects matching the search criteria were found.", none.Json.GetProperty("errorMessages")[0].GetString());
        Assert.True(ReferenceDocuments.Cloud.FindOperation("GET", "/rest/api/3/project/search")!.DocumentsStatus(404));
    }

    [Fact]
    public async Task Cloud_archived_projects_conform()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.SeedProjects(10, archived: 3);

        var archived = await emulator.GetValidAsync("rest/api/3/project/search?status=archived", Seeded.CloudAdmin, 200);
        var both = await emulator.GetValidAsync("rest/api/3/project/search?status=live&status=archived", Seeded.CloudAdmin, 200);
        await emulator.GetValidAsync("rest/api/3/project/ZAAAA", Seeded.CloudAdmin, 200);

        Assert.Equal(["ZAAAA", "ZAAAB", "ZAAAC"], Keys(archived));
        Assert.All(archived.Json.GetProperty("values").EnumerateArray(), v => Assert.True(v.GetProperty("archived").GetBoolean()));
        Assert.Equal(13, both.Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Cloud_issue_search_conforms_and_pages_by_token()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, issues: 120);

        var ids = await emulator.GetValidAsync("rest/api/3/search/jql?jql=project%20%3D%20DEV", Seeded.CloudAdmin, 200);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var url = "rest/api/3/search/jql?jql=project%20%3D%20DEV%20ORDER%20BY%20created&fields=*all&maxResults=40"
                + (token is null ? string.Empty : "&nextPageToken=" + Uri.EscapeDataString(token));
            var page = await emulator.GetValidAsync(url, Seeded.CloudAdmin, 200);
            seen.AddRange(page.Json.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("key").GetString()!));
            token = page.Json.GetProperty("isLast").GetBoolean() ? null : page.Json.GetProperty("nextPageToken").GetString();
        }
        while (token is not null);

        Assert.Equal(50, ids.Json.GetProperty("issues").GetArrayLength());
        Assert.False(ids.Json.GetProperty("issues")[0].TryGetProperty("fields", out _));
        Assert.Equal(Enumerable.Range(1, 120).Select(n => $"DEV-{n}"), seen);
    }

    [Fact]
    public async Task Cloud_issue_search_errors_conform()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var unbounded = await emulator.GetValidAsync("rest/api/3/search/jql", Seeded.CloudAdmin, 400);
        var badField = await emulator.GetValidAsync("rest/api/3/search/jql?jql=colour%3Dred", Seeded.CloudAdmin, 400);
        var hidden = await emulator.GetValidAsync("rest/api/3/search/jql?jql=project%3DFIN", Seeded.CloudLimited, 400);
        await emulator.GetValidAsync("rest/api/3/search/jql?jql=project%3DDEV&nextPageToken=garbage", Seeded.CloudAdmin, 400);

        Assert.Contains("Unbounded JQL", unbounded.Json.GetProperty("errorMessages")[0].GetString());
        Assert.Equal("Field 'colour' does not exist or you do not have permission to view it.", badField.Json.GetProperty("errorMessages")[0].GetString());
        Assert.Equal("The value 'FIN' does not exist for the field 'project'.", hidden.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Fact]
    public async Task DataCenter_search_conforms_with_offsets_and_jql()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter, issues: 120);

        var first = await emulator.GetValidAsync("rest/api/2/search?jql=project%3DDEV&maxResults=100", Seeded.DataCenterAdmin, 200);
        var last = await emulator.GetValidAsync("rest/api/2/search?jql=project%3DDEV&startAt=100&maxResults=100", Seeded.DataCenterAdminPat, 200);
        var filtered = await emulator.GetValidAsync(
            "rest/api/2/search?jql=" + Uri.EscapeDataString("project = DEV AND status in (\"In Progress\", Done) AND assignee = currentUser()"),
            Seeded.DataCenterLimited,
            200);
        await emulator.GetValidAsync("rest/api/2/search?jql=project%20%3D", Seeded.DataCenterAdmin, 400);

        Assert.Equal(120, first.Json.GetProperty("total").GetInt32());
        Assert.Equal(100, first.Json.GetProperty("issues").GetArrayLength());
        Assert.Equal(20, last.Json.GetProperty("issues").GetArrayLength());
        Assert.All(filtered.Json.GetProperty("issues").EnumerateArray(), i =>
        {
            Assert.Equal("limited", i.GetProperty("fields").GetProperty("assignee").GetProperty("name").GetString());
            Assert.NotEqual("To Do", i.GetProperty("fields").GetProperty("status").GetProperty("name").GetString());
        });
        Assert.True(filtered.Json.GetProperty("total").GetInt32() > 0);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Project_listing_with_expand_lead_names_the_lead_and_conforms(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        string path = flavor == EmulatorFlavor.Cloud ? "rest/api/3/project/search?expand=lead&maxResults=5" : "rest/api/2/project?expand=lead";

        var expanded = await emulator.GetValidAsync(path, Seeded.Admin(flavor), 200);
        var plain = await emulator.GetValidAsync(flavor == EmulatorFlavor.Cloud ? "rest/api/3/project/search?maxResults=5" : "rest/api/2/project", Seeded.Admin(flavor), 200);

        var projects = flavor == EmulatorFlavor.Cloud ? expanded.Json.GetProperty("values") : expanded.Json;
        Assert.NotEqual(0, projects.GetArrayLength());
        foreach (var project in projects.EnumerateArray())
            Assert.Equal("Ada Admin", project.GetProperty("lead").GetProperty("displayName").GetString());
        var first = (flavor == EmulatorFlavor.Cloud ? plain.Json.GetProperty("values") : plain.Json)[0];
        Assert.False(first.TryGetProperty("lead", out _));
    }

    [Fact]
    public async Task DataCenter_has_no_api_3_and_no_project_search()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);

        var v3 = await emulator.GetAsync("rest/api/3/serverInfo", Seeded.DataCenterAdmin);
        var search = await emulator.GetValidAsync("rest/api/2/project/search", Seeded.DataCenterAdmin, 404);

        Assert.Equal(404, v3.Status);
        Assert.Empty(ReferenceDocuments.Cloud.Validator.Validate(ReferenceDocuments.Cloud.Schema("ErrorCollection"), v3.Json));
        Assert.Equal("No project could be found with key 'search'.", search.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Fact]
    public async Task Cloud_removed_search_is_410_gone()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var gone = await emulator.GetValidAsync("rest/api/3/search?jql=project%3DDEV", Seeded.CloudAdmin, 410);

        Assert.Contains("/rest/api/3/search/jql", gone.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Other_methods_on_a_read_resource_are_405(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var response = await emulator.SendAsync(HttpMethod.Post, $"{emulator.Api}/myself", Seeded.Admin(flavor), "{}");

        Assert.Equal(405, response.Status);
        Assert.Equal("GET", response.Header("Allow"));
    }

    [Fact]
    public async Task A_fault_on_every_path_leaves_the_admin_api_usable()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        await emulator.SendAsync(HttpMethod.Post, "_emulator/faults", jsonBody: """{"kind":"drop","path":"/","times":-1}""");

        var cleared = await emulator.SendAsync(HttpMethod.Delete, "_emulator/faults");
        var after = await emulator.GetAsync("rest/api/3/serverInfo");

        Assert.Equal(204, cleared.Status);
        Assert.Equal(200, after.Status);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Unknown_rest_path_is_a_Jira_404(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var response = await emulator.GetAsync($"{emulator.Api}/no/such/resource", Seeded.Admin(flavor));

        Assert.Equal(404, response.Status);
        Assert.Equal("application/json", response.MediaType);
        Assert.Empty(emulator.Document.Validator.Validate(emulator.Document.Schema("ErrorCollection"), response.Json));
    }

    private static IEnumerable<string> Keys(ApiResponse page) =>
        page.Json.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("key").GetString()!);
}

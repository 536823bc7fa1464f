#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using AtlassianEmulator;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>
/// Permissions, project roles, groups and users as the emulator serves them, validated against the OpenAPI documents,
/// and the seed the project access audit relies on (see the README: by position modulo 8).
/// </summary>
public sealed class AccessContractTests
{
    public static TheoryData<EmulatorFlavor> Flavors => [EmulatorFlavor.Cloud, EmulatorFlavor.DataCenter];

    private const string Required = "BROWSE_PROJECTS,CREATE_ISSUES,EDIT_ISSUES,TRANSITION_ISSUES,ASSIGN_ISSUES,ADD_COMMENTS,DELETE_ISSUES";

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Mypermissions_conforms_and_follows_the_seeded_roles(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var admin = Seeded.Admin(flavor);

        var dev = await emulator.GetValidAsync($"{emulator.Api}/mypermissions?projectKey=DEV&permissions={Required}", admin, 200);
        var hr = await emulator.GetValidAsync($"{emulator.Api}/mypermissions?projectKey=HR&permissions={Required}", admin, 200);
        var mkt = await emulator.GetValidAsync($"{emulator.Api}/mypermissions?projectKey=MKT&permissions={Required}", admin, 200);
        var ops = await emulator.GetValidAsync($"{emulator.Api}/mypermissions?projectId=10005&permissions={Required}", admin, 200);
        var unknown = await emulator.GetValidAsync($"{emulator.Api}/mypermissions?projectKey=NOPE&permissions=BROWSE_PROJECTS", admin, 404);
        var hidden = await emulator.GetValidAsync($"{emulator.Api}/mypermissions?projectKey=FIN&permissions=BROWSE_PROJECTS", Seeded.Limited(flavor), 404);
        await emulator.GetValidAsync($"{emulator.Api}/mypermissions?permissions=NOT_A_PERMISSION", admin, 400);

        Assert.All(Held(dev), p => Assert.True(p.Value, p.Key));
        Assert.Equal(["BROWSE_PROJECTS", "CREATE_ISSUES", "ADD_COMMENTS"], Held(hr).Where(p => p.Value).Select(p => p.Key));
        Assert.All(Held(mkt), p => Assert.False(p.Value, p.Key));
        Assert.All(Held(ops), p => Assert.True(p.Value, p.Key));
        Assert.Equal("Edit Issues", hr.Json.GetProperty("permissions").GetProperty("EDIT_ISSUES").GetProperty("name").GetString());
        Assert.Equal("No project could be found with key 'NOPE'.", unknown.Json.GetProperty("errorMessages")[0].GetString());
        Assert.Equal(404, hidden.Status);
    }

    [Fact]
    public async Task Mypermissions_requires_permissions_on_cloud_and_lists_all_on_data_center()
    {
        await using var cloud = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        await using var dc = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);

        var refused = await cloud.GetValidAsync("rest/api/3/mypermissions?projectKey=DEV", Seeded.CloudAdmin, 400);
        var all = await dc.GetValidAsync("rest/api/2/mypermissions?projectKey=HR", Seeded.DataCenterAdmin, 200);
        var global = await cloud.GetValidAsync("rest/api/3/mypermissions?permissions=ADMINISTER,EDIT_ISSUES", Seeded.CloudAdmin, 200);
        var limitedGlobal = await cloud.GetValidAsync("rest/api/3/mypermissions?permissions=ADMINISTER", Seeded.CloudLimited, 200);

        Assert.Contains("permissions parameter is required", refused.Json.GetProperty("errorMessages")[0].GetString());
        Assert.Equal(PermissionCatalog.All.Count, all.Json.GetProperty("permissions").EnumerateObject().Count());
        Assert.False(all.Json.GetProperty("permissions").GetProperty("EDIT_ISSUES").GetProperty("havePermission").GetBoolean());
        Assert.True(all.Json.GetProperty("permissions").GetProperty("BROWSE_PROJECTS").GetProperty("havePermission").GetBoolean());
        Assert.All(Held(global), p => Assert.True(p.Value, p.Key));
        Assert.False(Held(limitedGlobal).Single().Value);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Project_roles_conform_with_user_and_group_actors(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var admin = Seeded.Admin(flavor);

        var map = await emulator.GetAsync($"{emulator.Api}/project/DEV/role", admin);
        var direct = await emulator.GetValidAsync($"{emulator.Api}/project/DEV/role/10002", admin, 200);
        var group = await emulator.GetValidAsync($"{emulator.Api}/project/FIN/role/10002", admin, 200);
        var empty = await emulator.GetValidAsync($"{emulator.Api}/project/MKT/role/10002", admin, 200);
        await emulator.GetValidAsync($"{emulator.Api}/project/DEV/role/10002", Seeded.Limited(flavor), 404);
        await emulator.GetValidAsync($"{emulator.Api}/project/DEV/role/99999", admin, 404);
        var limitedMap = await emulator.GetAsync($"{emulator.Api}/project/DEV/role", Seeded.Limited(flavor));

        if (flavor == EmulatorFlavor.Cloud)
        {
            OpenApiContract.AssertConforms(emulator.Document, map);
            Assert.Equal(Seeded.CloudAdminAccountId, direct.Json.GetProperty("actors")[0].GetProperty("actorUser").GetProperty("accountId").GetString());
            Assert.Equal("276f955c-63d7-42c8-9520-92d01dca0625", group.Json.GetProperty("actors")[0].GetProperty("actorGroup").GetProperty("groupId").GetString());
        }
        else
        {
            Assert.Equal("admin", direct.Json.GetProperty("actors")[0].GetProperty("name").GetString());
        }

        Assert.Equal(["Administrators", "Developers", "Users"], map.Json.EnumerateObject().Select(p => p.Name));
        Assert.EndsWith("/role/10002", map.Json.GetProperty("Administrators").GetString());
        Assert.Equal("atlassian-user-role-actor", direct.Json.GetProperty("actors")[0].GetProperty("type").GetString());
        Assert.Equal("atlassian-group-role-actor", group.Json.GetProperty("actors")[0].GetProperty("type").GetString());
        Assert.Equal("jira-administrators", group.Json.GetProperty("actors")[0].GetProperty("displayName").GetString());
        Assert.Equal(0, empty.Json.GetProperty("actors").GetArrayLength());
        Assert.Equal(404, limitedMap.Status);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Role_actors_are_added_once_and_removed_once(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var admin = Seeded.Admin(flavor);
        var me = flavor == EmulatorFlavor.Cloud ? Seeded.CloudAdminAccountId : "admin";
        var role = $"{emulator.Api}/project/HR/role/10002";

        var added = await SendValidAsync(emulator, HttpMethod.Post, role, admin, $$"""{"user":["{{me}}"]}""", 200);
        var again = await SendValidAsync(emulator, HttpMethod.Post, role, admin, $$"""{"user":["{{me}}"]}""", 400);
        var nowHeld = await emulator.GetAsync($"{emulator.Api}/mypermissions?projectKey=HR&permissions={Required}", admin);
        var group = await SendValidAsync(emulator, HttpMethod.Post, role, admin, """{"group":["integration-admins"]}""", 200);
        var removed = await emulator.SendAsync(HttpMethod.Delete, $"{role}?user={me}", admin);
        var removedAgain = await emulator.SendAsync(HttpMethod.Delete, $"{role}?user={me}", admin);
        var unknown = await emulator.SendAsync(HttpMethod.Post, role, admin, """{"user":["nobody-at-all"]}""");
        var denied = await emulator.SendAsync(HttpMethod.Post, role, Seeded.Limited(flavor), $$"""{"user":["{{me}}"]}""");
        var put = await emulator.SendAsync(HttpMethod.Put, role, admin, """{"user":[]}""");

        Assert.Contains(added.Json.GetProperty("actors").EnumerateArray(), a => a.GetProperty("displayName").GetString() == "Ada Admin");
        Assert.Equal("'Ada Admin' is already a member of the project role.", again.Json.GetProperty("errorMessages")[0].GetString());
        Assert.All(Held(nowHeld), p => Assert.True(p.Value, p.Key));
        Assert.Equal(2, group.Json.GetProperty("actors").GetArrayLength());
        Assert.Equal(204, removed.Status);
        Assert.Equal(404, removedAgain.Status);
        Assert.Equal(flavor == EmulatorFlavor.Cloud ? 404 : 410, unknown.Status);
        Assert.Equal(flavor == EmulatorFlavor.Cloud ? 401 : 404, denied.Status);
        Assert.Equal(405, put.Status);

        emulator.State.Reset();
        var reset = await emulator.GetAsync(role, admin);
        Assert.Equal(0, reset.Json.GetProperty("actors").GetArrayLength());
    }

    [Fact]
    public async Task Cloud_group_actors_are_added_and_removed_by_group_id()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        const string groupId = "8f2b6c1e-3d4a-4b7e-9c2d-5e1f0a9b3c7d";

        var added = await SendValidAsync(emulator, HttpMethod.Post, "rest/api/3/project/MKT/role/10002", Seeded.CloudAdmin, $$"""{"groupId":["{{groupId}}"]}""", 200);
        var held = await emulator.GetAsync($"rest/api/3/mypermissions?projectKey=MKT&permissions={Required}", Seeded.CloudAdmin);
        var removed = await emulator.SendAsync(HttpMethod.Delete, $"rest/api/3/project/MKT/role/10002?groupId={groupId}", Seeded.CloudAdmin);

        Assert.Equal("integration-admins", added.Json.GetProperty("actors")[0].GetProperty("actorGroup").GetProperty("name").GetString());
        Assert.All(Held(held), p => Assert.True(p.Value, p.Key));
        Assert.Equal(204, removed.Status);
    }

    [Fact]
    public async Task Cloud_bulk_permission_check_conforms_for_the_caller_and_for_others()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        const string path = "rest/api/3/permissions/check";
        var body = $$"""{"accountId":"{{Seeded.CloudLimitedAccountId}}","projectPermissions":[{"permissions":["BROWSE_PROJECTS","EDIT_ISSUES"],"projects":[10000,10001,10002,99999]}]}""";

        var other = await SendValidAsync(emulator, HttpMethod.Post, path, Seeded.CloudAdmin, body, 200);
        var self = await SendValidAsync(emulator, HttpMethod.Post, path, Seeded.CloudAdmin,
            """{"globalPermissions":["ADMINISTER"],"projectPermissions":[{"permissions":["EDIT_ISSUES"],"projects":[10000,10002]}]}""", 200);
        var forbidden = await SendValidAsync(emulator, HttpMethod.Post, path, Seeded.CloudLimited,
            $$"""{"accountId":"{{Seeded.CloudAdminAccountId}}","projectPermissions":[{"permissions":["EDIT_ISSUES"],"projects":[10000]}]}""", 403);
        var invalid = await SendValidAsync(emulator, HttpMethod.Post, path, Seeded.CloudAdmin, """{"projectPermissions":[{"permissions":["FLY"],"projects":[10000]}]}""", 400);

        var grants = other.Json.GetProperty("projectPermissions").EnumerateArray().ToDictionary(g => g.GetProperty("permission").GetString()!, g => g.GetProperty("projects").EnumerateArray().Select(p => p.GetInt64()).ToArray());
        Assert.Equal([10000L, 10002L], grants["BROWSE_PROJECTS"]);
        Assert.Empty(grants["EDIT_ISSUES"]);
        Assert.Equal(["ADMINISTER"], self.Json.GetProperty("globalPermissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([10000L], self.Json.GetProperty("projectPermissions")[0].GetProperty("projects").EnumerateArray().Select(p => p.GetInt64()));
        Assert.Equal("Only Jira administrators can perform this operation.", forbidden.Json.GetProperty("errorMessages")[0].GetString());
        Assert.Equal("Unrecognized permission", invalid.Json.GetProperty("errors").GetProperty("FLY").GetString());
    }

    [Fact]
    public async Task Cloud_bulk_permission_check_answers_1000_projects_in_one_request_under_the_burst_limit_and_latency()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 1000);
        const string path = "rest/api/3/permissions/check";
        static string Body(IEnumerable<int> ids) =>
            $$"""{"projectPermissions":[{"permissions":["BROWSE_PROJECTS","EDIT_ISSUES"],"projects":[{{string.Join(",", ids)}}]}]}""";

        var thousand = await SendValidAsync(emulator, HttpMethod.Post, path, Seeded.CloudAdmin, Body(Enumerable.Range(10000, 1000)), 200);
        var tooMany = await SendValidAsync(emulator, HttpMethod.Post, path, Seeded.CloudAdmin, Body(Enumerable.Range(10000, 1001)), 400);

        var browse = thousand.Json.GetProperty("projectPermissions").EnumerateArray().Single(g => g.GetProperty("permission").GetString() == "BROWSE_PROJECTS");
        // The seed withholds everything in one project of eight (tests/AtlassianEmulator/README.md).
        Assert.Equal(875, browse.GetProperty("projects").GetArrayLength());
        Assert.Contains("1000", tooMany.Json.GetProperty("errorMessages")[0].GetString());

        // The latency fault and the burst limiter apply to the bulk check as to every other endpoint.
        emulator.State.AddFault(new FaultSpec { Path = "/" + path, Kind = FaultKind.Delay, DelayMs = 300, Times = 1 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var late = await SendValidAsync(emulator, HttpMethod.Post, path, Seeded.CloudAdmin, Body([10000]), 200);
        Assert.True(clock.ElapsedMilliseconds >= 300, $"answered after {clock.ElapsedMilliseconds} ms");
        await emulator.SendAsync(HttpMethod.Put, "_emulator/settings", jsonBody: """{"burstLimit":2}""");
        var answers = new List<ApiResponse>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await emulator.SendAsync(HttpMethod.Post, path, Seeded.CloudAdmin, Body([10000])));
        }

        var limited = answers.First(a => a.Status == 429);
        Assert.Equal("1", limited.Header("Retry-After"));
        OpenApiContract.AssertConforms(emulator.Document, limited);
        Assert.Equal(200, late.Status);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Users_and_their_groups_conform(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var admin = Seeded.Admin(flavor);
        var limitedId = flavor == EmulatorFlavor.Cloud ? $"accountId={Seeded.CloudLimitedAccountId}" : "username=limited";

        var myself = await emulator.GetValidAsync($"{emulator.Api}/myself?expand=groups", admin, 200);
        var plain = await emulator.GetValidAsync($"{emulator.Api}/myself", admin, 200);
        var limited = await emulator.GetValidAsync($"{emulator.Api}/user?{limitedId}&expand=groups", admin, 200);
        var missing = await emulator.GetValidAsync($"{emulator.Api}/user?{(flavor == EmulatorFlavor.Cloud ? "accountId" : "username")}=nobody", admin, 404);

        Assert.Equal(["integration-admins", "jira-administrators", "jira-software-users"], GroupNames(myself));
        Assert.Equal(3, plain.Json.GetProperty("groups").GetProperty("size").GetInt32());
        Assert.Equal(0, plain.Json.GetProperty("groups").GetProperty("items").GetArrayLength());
        Assert.Equal(["jira-software-users"], GroupNames(limited));
        Assert.Equal("Lee Limited", limited.Json.GetProperty("displayName").GetString());
        Assert.Equal(404, missing.Status);
        if (flavor == EmulatorFlavor.Cloud)
        {
            var groups = await emulator.GetValidAsync($"rest/api/3/user/groups?accountId={Seeded.CloudAdminAccountId}", admin, 200);
            Assert.Equal(3, groups.Json.GetArrayLength());
            Assert.Equal("8f2b6c1e-3d4a-4b7e-9c2d-5e1f0a9b3c7d", groups.Json[0].GetProperty("groupId").GetString());
        }
    }

    [Fact]
    public async Task Data_center_user_permission_search_conforms()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);
        const string path = "rest/api/2/user/permission/search";

        var holds = await emulator.GetValidAsync($"{path}?username=limited&projectKey=DEV&permissions=BROWSE_PROJECTS", Seeded.DataCenterAdmin, 200);
        var lacks = await emulator.GetValidAsync($"{path}?username=limited&projectKey=DEV&permissions=BROWSE_PROJECTS,EDIT_ISSUES", Seeded.DataCenterAdmin, 200);
        var everyone = await emulator.GetValidAsync($"{path}?projectKey=DEV&permissions=BROWSE_PROJECTS", Seeded.DataCenterAdmin, 200);
        await emulator.GetValidAsync($"{path}?username=admin&projectKey=DEV&permissions=BROWSE_PROJECTS", Seeded.DataCenterLimited, 403);
        await emulator.GetValidAsync($"{path}?username=admin&permissions=BROWSE_PROJECTS", Seeded.DataCenterAdmin, 400);

        Assert.Equal(["limited"], holds.Json.EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        Assert.Equal(0, lacks.Json.GetArrayLength());
        Assert.Equal(["admin", "limited"], everyone.Json.EnumerateArray().Select(u => u.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task Burst_limit_answers_429_per_endpoint_with_retry_after_and_rate_limit_headers()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        var settings = await emulator.SendAsync(HttpMethod.Put, "_emulator/settings", jsonBody: """{"burstLimit":3}""");

        // Ten quick requests span at most two one-second windows, so at least four land in one of them.
        var answers = new List<ApiResponse>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await emulator.GetAsync("rest/api/3/serverInfo"));
        }

        var other = await emulator.GetAsync("rest/api/3/myself", Seeded.CloudAdmin);
        var limited = answers.First(a => a.Status == 429);
        var allowed = answers.First(a => a.Status == 200);

        Assert.Equal(200, settings.Status);
        Assert.Contains("\"burstLimit\":3", settings.Body);
        Assert.InRange(answers.Count(a => a.Status == 200), 3, 6);
        Assert.Equal("1", limited.Header("Retry-After"));
        Assert.Equal("3", limited.Header("X-RateLimit-Limit"));
        Assert.Equal("0", limited.Header("X-RateLimit-Remaining"));
        Assert.Equal("jira-burst-based", limited.Header("RateLimit-Reason"));
        Assert.InRange(DateTimeOffset.Parse(limited.Header("X-RateLimit-Reset")!, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(2));
        OpenApiContract.AssertConforms(emulator.Document, limited);
        Assert.Equal("3", allowed.Header("X-RateLimit-Limit"));
        Assert.Equal(200, other.Status);
        Assert.True(emulator.State.BurstLimiter.Rejected >= 4);
        Assert.Equal(1, emulator.State.BurstLimiter.LimitFor("DELETE"));

        emulator.State.Reset();
        Assert.False(emulator.State.BurstLimiter.Enabled);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Revoked_tokens_stop_working_until_reset(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var token = flavor == EmulatorFlavor.Cloud ? Seeded.CloudAdmin : Seeded.DataCenterAdminPat;
        var login = flavor == EmulatorFlavor.Cloud ? "admin@example.com" : "admin";

        var revoke = await emulator.SendAsync(HttpMethod.Post, "_emulator/tokens/revoke", jsonBody: $$"""{"login":"{{login}}"}""");
        var refused = await emulator.GetAsync($"{emulator.Api}/myself", token);
        var unknown = await emulator.SendAsync(HttpMethod.Post, "_emulator/tokens/revoke", jsonBody: """{"login":"nobody"}""");
        emulator.State.Reset();
        var restored = await emulator.GetAsync($"{emulator.Api}/myself", token);

        Assert.Equal(204, revoke.Status);
        Assert.Equal(401, refused.Status);
        Assert.Equal("AUTHENTICATED_FAILED", refused.Header("X-Seraph-LoginReason"));
        Assert.Equal(400, unknown.Status);
        Assert.Equal(200, restored.Status);
    }

    [Fact]
    public async Task Listener_demands_its_bearer_token()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        var body = """{"issue":{"key":"IT-1"}}""";

        var accepted = await emulator.SendAsync(HttpMethod.Post, "listener", Credential.Bearer(EmulatorState.DefaultListenerToken), body);
        var wrong = await emulator.SendAsync(HttpMethod.Post, "listener", Credential.Bearer("not-the-token"), body);
        var none = await emulator.SendAsync(HttpMethod.Post, "listener", null, body);
        await emulator.SendAsync(HttpMethod.Put, "_emulator/settings", jsonBody: """{"listenerToken":"rotated-token-123"}""");
        var old = await emulator.SendAsync(HttpMethod.Post, "listener", Credential.Bearer(EmulatorState.DefaultListenerToken), body);
        var rotated = await emulator.SendAsync(HttpMethod.Post, "listener", Credential.Bearer("rotated-token-123"), body);

        Assert.Equal(200, accepted.Status);
        Assert.Equal(body.Length, accepted.Json.GetProperty("bytes").GetInt32());
        Assert.Equal(401, wrong.Status);
        Assert.StartsWith("Bearer", wrong.Header("WWW-Authenticate"));
        Assert.Equal(401, none.Status);
        Assert.Equal(401, old.Status);
        Assert.Equal(200, rotated.Status);
        var log = await JiraConnect.Core.Tests.Engine.Emu.LogAsync(emulator, atLeast: 5, "/listener");
        Assert.Equal(["Bearer", "Bearer", null, "Bearer", "Bearer"], log.Select(r => r.AuthScheme));
    }

    private static async Task<ApiResponse> SendValidAsync(EmulatorHarness emulator, HttpMethod method, string path, Credential credential, string body, int expectedStatus)
    {
        var response = await emulator.SendAsync(method, path, credential, body);
        Assert.True(expectedStatus == response.Status, $"Expected {expectedStatus}, got {response}");
        OpenApiContract.AssertConforms(emulator.Document, response);
        return response;
    }

    private static IEnumerable<KeyValuePair<string, bool>> Held(ApiResponse response) =>
        response.Json.GetProperty("permissions").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetProperty("havePermission").GetBoolean())).ToList();

    private static IEnumerable<string?> GroupNames(ApiResponse response) =>
        response.Json.GetProperty("groups").GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
}

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

/// <summary>The /_emulator admin API, as the Pester suites and other out-of-process clients use it.</summary>
public sealed class AdminApiTests
{
    [Fact]
    public async Task Projects_reseed_changes_what_clients_see()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var seeded = await emulator.SendAsync(HttpMethod.Post, "_emulator/projects", jsonBody: """{"count":101,"archived":2,"issues":7}""");
        var page = await emulator.GetValidAsync("rest/api/3/project/search", Seeded.CloudAdmin, 200);
        var issues = await emulator.GetValidAsync("rest/api/3/search/jql?jql=project%3DDEV", Seeded.CloudAdmin, 200);
        var summary = await emulator.GetAsync("_emulator/projects");

        Assert.Equal(200, seeded.Status);
        Assert.Equal("""{"projects":101,"archived":2,"issues":7}""", seeded.Body);
        Assert.Equal(seeded.Body, summary.Body);
        Assert.Equal(101, page.Json.GetProperty("total").GetInt32());
        Assert.Equal(7, issues.Json.GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public async Task Reset_returns_to_the_startup_seed_and_clears_faults_settings_and_log()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter, projects: 3, issues: 5);
        await emulator.SendAsync(HttpMethod.Post, "_emulator/projects", jsonBody: """{"count":50}""");
        await emulator.SendAsync(HttpMethod.Put, "_emulator/settings", jsonBody: """{"basicAuthEnabled":false}""");
        await emulator.SendAsync(HttpMethod.Post, "_emulator/faults", jsonBody: """{"kind":"status","status":500,"path":"/rest/api/2/search"}""");
        await emulator.GetAsync("rest/api/2/serverInfo");

        var reset = await emulator.SendAsync(HttpMethod.Post, "_emulator/reset");
        var projects = await emulator.GetValidAsync("rest/api/2/project", Seeded.DataCenterAdmin, 200);
        var search = await emulator.GetValidAsync("rest/api/2/search", Seeded.DataCenterAdmin, 200);

        Assert.Equal(204, reset.Status);
        Assert.Equal(3, projects.Json.GetArrayLength());
        Assert.Equal(5, search.Json.GetProperty("total").GetInt32());
        Assert.Equal(true, emulator.State.GetSettings().BasicAuthEnabled);
        Assert.Empty(emulator.State.Faults);
        Assert.Equal(["/rest/api/2/project", "/rest/api/2/search"], emulator.State.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Settings_round_trip()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);

        var put = await emulator.SendAsync(HttpMethod.Put, "_emulator/settings", jsonBody: """{"basicAuthEnabled":false}""");
        var get = await emulator.GetAsync("_emulator/settings");
        var refused = await emulator.GetAsync("rest/api/2/myself", Seeded.DataCenterAdmin);

        Assert.Equal("""{"basicAuthEnabled":false,"burstLimit":0,"listenerToken":"lsn-emu-7Hq2Vx9Kp4Wd"}""", put.Body);
        Assert.Equal(put.Body, get.Body);
        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task Faults_api_creates_lists_and_deletes()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var created = await emulator.SendAsync(HttpMethod.Post, "_emulator/faults",
            jsonBody: """{"path":"/rest/api/3/project/search","method":"GET","kind":"status","status":429,"retryAfter":1,"times":-1}""");
        var limited = await emulator.GetAsync("rest/api/3/project/search", Seeded.CloudAdmin);
        var listed = await emulator.GetAsync("_emulator/faults");
        var id = created.Json.GetProperty("id").GetString();
        var deleted = await emulator.SendAsync(HttpMethod.Delete, $"_emulator/faults/{id}");
        var missing = await emulator.SendAsync(HttpMethod.Delete, $"_emulator/faults/{id}");
        var cleared = await emulator.SendAsync(HttpMethod.Delete, "_emulator/faults");

        Assert.Equal(201, created.Status);
        Assert.Equal($"/_emulator/faults/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("status", created.Json.GetProperty("kind").GetString());
        Assert.Equal(-1, created.Json.GetProperty("times").GetInt32());
        Assert.Equal(429, limited.Status);
        Assert.Equal(1, listed.Json[0].GetProperty("applied").GetInt32());
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, missing.Status);
        Assert.Equal(204, cleared.Status);
        Assert.Equal(200, (await emulator.GetAsync("rest/api/3/project/search", Seeded.CloudAdmin)).Status);
    }

    [Fact]
    public async Task Request_log_records_scheme_and_status_but_never_the_credential()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        await emulator.GetAsync("rest/api/3/project/search?startAt=0&maxResults=10", Seeded.CloudAdmin);
        await emulator.GetAsync("rest/api/3/myself", Seeded.DataCenterAdminPat);
        await emulator.GetAsync("rest/api/3/serverInfo");
        var log = await emulator.GetAsync("_emulator/requests");
        var cleared = await emulator.SendAsync(HttpMethod.Delete, "_emulator/requests");

        Assert.Equal(200, log.Status);
        var entries = log.Json.EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(["Basic", "Bearer", null], entries.Select(e => e.GetProperty("authScheme").GetString()));
        Assert.Equal([200, 401, 200], entries.Select(e => e.GetProperty("status").GetInt32()));
        Assert.Equal("startAt=0&maxResults=10", entries[0].GetProperty("query").GetString());
        Assert.Equal("GET", entries[0].GetProperty("method").GetString());
        Assert.True(DateTimeOffset.TryParse(entries[0].GetProperty("timestamp").GetString(), out _));
        Assert.DoesNotContain("ATATT3xFfGF0", log.Body);
        Assert.DoesNotContain("NjQ4MzE", log.Body);
        Assert.DoesNotContain(Seeded.CloudAdmin.Parameter, log.Body);
        Assert.Equal(204, cleared.Status);
        Assert.Empty(emulator.State.Requests);
    }

    [Fact]
    public async Task Invalid_reseed_is_400()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var missing = await emulator.SendAsync(HttpMethod.Post, "_emulator/projects", jsonBody: "{}");
        var negative = await emulator.SendAsync(HttpMethod.Post, "_emulator/projects", jsonBody: """{"count":-1}""");

        Assert.Equal(400, missing.Status);
        Assert.Equal(400, negative.Status);
        Assert.Equal(25, emulator.State.Summary.Projects);
    }

    [Fact]
    public async Task StartAsync_rejects_invalid_options_and_two_emulators_get_different_ports()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => EmulatorApp.StartAsync(new EmulatorOptions { Projects = -1 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => EmulatorApp.StartAsync(new EmulatorOptions { Port = 70000 }));

        await using var first = await EmulatorApp.StartAsync(new EmulatorOptions());
        await using var second = await EmulatorApp.StartAsync(new EmulatorOptions { Flavor = EmulatorFlavor.DataCenter });

        Assert.Equal("127.0.0.1", first.BaseUrl.Host);
        Assert.NotEqual(first.BaseUrl.Port, second.BaseUrl.Port);
        Assert.Equal(EmulatorFlavor.DataCenter, second.State.Flavor);
    }
}

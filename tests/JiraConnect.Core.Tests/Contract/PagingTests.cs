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

/// <summary>Project counts and pages are exact, for every seed size a client's paging logic cares about.</summary>
public sealed class PagingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(2500)]
    public async Task Cloud_project_search_pages_through_exactly_the_seeded_projects(int count)
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: count);

        var keys = await PageThroughAsync(emulator, Seeded.CloudAdmin, pageSize: 100);

        Assert.Equal(count, keys.Count);
        Assert.Equal(count, keys.Distinct().Count());
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Zero_projects_is_404_on_search_and_an_empty_list()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 0);

        var search = await emulator.GetValidAsync("rest/api/3/project/search", Seeded.CloudAdmin, 404);
        var list = await emulator.GetValidAsync("rest/api/3/project", Seeded.CloudAdmin, 200);

        Assert.Equal("No projects matching the search criteria were found.", search.Json.GetProperty("errorMessages")[0].GetString());
        Assert.Equal(0, list.Json.GetArrayLength());
    }

    [Fact]
    public async Task A_hundred_and_one_projects_make_pages_of_50_50_and_1()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 101);
        var sizes = new List<int>();
        var url = "rest/api/3/project/search";
        while (true)
        {
            var page = await emulator.GetValidAsync(url, Seeded.CloudAdmin, 200);
            Assert.Equal(101, page.Json.GetProperty("total").GetInt32());
            sizes.Add(page.Json.GetProperty("values").GetArrayLength());
            if (page.Json.GetProperty("isLast").GetBoolean())
            {
                Assert.False(page.Json.TryGetProperty("nextPage", out _));
                break;
            }

            url = page.Json.GetProperty("nextPage").GetString()!;
        }

        Assert.Equal([50, 50, 1], sizes);
    }

    [Fact]
    public async Task MaxResults_above_100_is_cut_to_100()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 250);

        var page = await emulator.GetValidAsync("rest/api/3/project/search?maxResults=500", Seeded.CloudAdmin, 200);

        Assert.Equal(100, page.Json.GetProperty("maxResults").GetInt32());
        Assert.Equal(100, page.Json.GetProperty("values").GetArrayLength());
        Assert.Equal(250, page.Json.GetProperty("total").GetInt32());
        Assert.EndsWith("startAt=100&maxResults=100", page.Json.GetProperty("nextPage").GetString());
    }

    [Fact]
    public async Task StartAt_past_the_end_is_an_empty_last_page()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 30);

        var page = await emulator.GetValidAsync("rest/api/3/project/search?startAt=40", Seeded.CloudAdmin, 200);

        Assert.Equal(0, page.Json.GetProperty("values").GetArrayLength());
        Assert.Equal(30, page.Json.GetProperty("total").GetInt32());
        Assert.True(page.Json.GetProperty("isLast").GetBoolean());
    }

    [Theory]
    [InlineData(EmulatorFlavor.Cloud, 101)]
    [InlineData(EmulatorFlavor.DataCenter, 101)]
    [InlineData(EmulatorFlavor.DataCenter, 0)]
    public async Task Limited_user_sees_every_second_project(EmulatorFlavor flavor, int count)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor, projects: count);
        var api = emulator.Api;

        var admin = await emulator.GetValidAsync($"{api}/project", Seeded.Admin(flavor), 200);
        var limited = await emulator.GetValidAsync($"{api}/project", Seeded.Limited(flavor), 200);

        var all = admin.Json.EnumerateArray().Select(p => p.GetProperty("key").GetString()!).ToList();
        var visible = limited.Json.EnumerateArray().Select(p => p.GetProperty("key").GetString()!).ToList();
        Assert.Equal(count, all.Count);
        Assert.Equal(all.Where((_, i) => i % 2 == 0), visible);
    }

    [Fact]
    public async Task Limited_user_pages_over_his_own_projects_only()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 101);

        var keys = await PageThroughAsync(emulator, Seeded.CloudLimited, pageSize: 20);

        Assert.Equal(51, keys.Count);
        Assert.Equal(emulator.State.Projects.Where((_, i) => i % 2 == 0).Select(p => p.Key), keys);
    }

    [Fact]
    public async Task A_hundred_thousand_projects_are_exact_and_quick_to_page()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, projects: 100_000);

        var first = await emulator.GetValidAsync("rest/api/3/project/search?maxResults=100", Seeded.CloudAdmin, 200);
        var last = await emulator.GetValidAsync("rest/api/3/project/search?startAt=99950&maxResults=100", Seeded.CloudAdmin, 200);
        var list = await emulator.GetAsync("rest/api/3/project", Seeded.CloudAdmin);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            await emulator.GetAsync($"rest/api/3/project/search?startAt={i * 1000}&maxResults=100", Seeded.CloudAdmin);
        }

        Assert.Equal(100_000, first.Json.GetProperty("total").GetInt32());
        Assert.Equal(50, last.Json.GetProperty("values").GetArrayLength());
        Assert.True(last.Json.GetProperty("isLast").GetBoolean());
        Assert.Equal(100_000, list.Json.GetArrayLength());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"50 pages took {started.Elapsed}");
    }

    [Theory]
    [InlineData(EmulatorFlavor.Cloud)]
    [InlineData(EmulatorFlavor.DataCenter)]
    public async Task Keys_are_valid_Jira_keys_and_sort_in_position_order(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor, projects: 2500);
        var keys = emulator.State.Projects.Select(p => p.Key).ToList();

        Assert.All(keys, k => Assert.Matches("^[A-Z][A-Z0-9]{1,9}$", k));
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), keys);
        Assert.Equal(["DEV", "FIN", "HR", "IT", "MKT", "OPS", "PAAAA"], keys.Take(7));
    }

    private static async Task<List<string>> PageThroughAsync(EmulatorHarness emulator, Credential credential, int pageSize)
    {
        var keys = new List<string>();
        for (var startAt = 0; ; startAt += pageSize)
        {
            var page = await emulator.GetValidAsync($"rest/api/3/project/search?startAt={startAt}&maxResults={pageSize}", credential, 200);
            keys.AddRange(page.Json.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("key").GetString()!));
            if (page.Json.GetProperty("isLast").GetBoolean())
            {
                return keys;
            }
        }
    }
}

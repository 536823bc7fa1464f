#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>Injected faults: status codes with rate-limit headers, delays, dropped connections, bad bodies.</summary>
public sealed class FaultBehaviourTests
{
    [Fact]
    public async Task Every_rest_response_carries_rate_limit_headers()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        foreach (var path in new[] { "rest/api/3/serverInfo", "rest/api/3/myself", "rest/api/3/no/such/path" })
        {
            var response = await emulator.GetAsync(path);

            Assert.Equal("100", response.Header("X-RateLimit-Limit"));
            Assert.NotNull(response.Header("X-RateLimit-Remaining"));
            Assert.Equal("false", response.Header("X-RateLimit-NearLimit"));
        }
    }

    [Fact]
    public async Task Status_429_carries_retry_after_reset_and_reason_then_recovers()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.AddFault(new FaultSpec { Path = "/rest/api/3/project/search", Kind = FaultKind.Status, Status = 429, RetryAfter = 3, Times = 2 });

        var first = await emulator.GetValidAsync("rest/api/3/project/search", Seeded.CloudAdmin, 429);
        var second = await emulator.GetAsync("rest/api/3/project/search", Seeded.CloudAdmin);
        var third = await emulator.GetAsync("rest/api/3/project/search", Seeded.CloudAdmin);
        var otherPath = await emulator.GetAsync("rest/api/3/myself", Seeded.CloudAdmin);

        Assert.Equal("3", first.Header("Retry-After"));
        Assert.Equal("jira-burst-based", first.Header("RateLimit-Reason"));
        Assert.Equal("0", first.Header("X-RateLimit-Remaining"));
        Assert.Equal("true", first.Header("X-RateLimit-NearLimit"));
        var reset = DateTimeOffset.Parse(first.Header("X-RateLimit-Reset")!, CultureInfo.InvariantCulture);
        Assert.InRange(reset, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(10));
        Assert.Equal(429, second.Status);
        Assert.Equal(200, third.Status);
        Assert.Equal(200, otherPath.Status);
    }

    [Fact]
    public async Task Status_503_with_retry_after_and_after_skips_the_first_requests()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Status, Status = 503, RetryAfter = 1, After = 2, Method = "get" });

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await emulator.GetAsync("rest/api/2/serverInfo")).Status);
        }

        var failed = await emulator.GetAsync("rest/api/2/serverInfo");
        Assert.Equal([200, 200, 503, 200], statuses);
        Assert.Equal(200, failed.Status);
        var rule = Assert.Single(emulator.State.Faults);
        Assert.Equal(5, rule.Matched);
        Assert.Equal(1, rule.Applied);
    }

    [Fact]
    public async Task Status_fault_answers_with_a_jira_error_body()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Status, Status = 503, RetryAfter = 7 });

        var response = await emulator.GetAsync("rest/api/3/serverInfo");

        Assert.Equal(503, response.Status);
        Assert.Equal("7", response.Header("Retry-After"));
        Assert.NotEmpty(response.Json.GetProperty("errorMessages")[0].GetString()!);
        Assert.Empty(emulator.Document.Validator.Validate(emulator.Document.Schema("ErrorCollection"), response.Json));
    }

    [Fact]
    public async Task Drop_aborts_the_connection_without_a_response()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Drop });

        await Assert.ThrowsAsync<HttpRequestException>(() => emulator.GetAsync("rest/api/3/serverInfo"));
        var next = await emulator.GetAsync("rest/api/3/serverInfo");

        Assert.Equal(200, next.Status);
        Assert.Null(emulator.State.Requests[0].Status);
        Assert.Equal(200, emulator.State.Requests[1].Status);
    }

    [Fact]
    public async Task Malformed_json_is_a_200_whose_body_does_not_parse()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.MalformedJson, Path = "/rest/api/3/project" });

        var response = await emulator.GetAsync("rest/api/3/project/search", Seeded.CloudAdmin);

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.MediaType);
        Assert.ThrowsAny<JsonException>(() => response.Json);
        Assert.NotEmpty(OpenApiContract.Check(ReferenceDocuments.Cloud, response));
    }

    [Fact]
    public async Task Html_is_an_sso_login_page()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Html, Times = -1 });

        var first = await emulator.GetAsync("rest/api/3/myself", Seeded.CloudAdmin);
        var second = await emulator.GetAsync("rest/api/3/project", Seeded.CloudAdmin);

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(200, response.Status);
            Assert.Equal("text/html", response.MediaType);
            Assert.Contains("<title>Log in with SSO</title>", response.Body);
            Assert.Contains("<form", response.Body);
        }
    }

    [Fact]
    public async Task Delay_holds_the_answer_and_is_abandoned_when_the_client_gives_up()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Delay, DelayMs = 300, Path = "/rest/api/3/serverInfo" });
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Delay, DelayMs = 60_000, Path = "/rest/api/3/myself" });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var delayed = await emulator.GetAsync("rest/api/3/serverInfo");
        var delayedFor = watch.Elapsed;
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            emulator.SendAsync(HttpMethod.Get, "rest/api/3/myself", Seeded.CloudAdmin, cancellationToken: giveUp.Token));
        watch.Restart();
        var after = await emulator.GetAsync("rest/api/3/myself", Seeded.CloudAdmin);

        Assert.Equal(200, delayed.Status);
        Assert.True(delayedFor >= TimeSpan.FromMilliseconds(280), $"answered after {delayedFor}");
        Assert.Equal(200, after.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the next request took {watch.Elapsed}");
    }

    [Fact]
    public async Task Faults_can_be_listed_removed_and_cleared()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        var first = emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Status, Status = 500, Times = -1 });
        emulator.State.AddFault(new FaultSpec { Kind = FaultKind.Drop, Path = "/rest/api/3/myself" });

        Assert.Equal(500, (await emulator.GetAsync("rest/api/3/serverInfo")).Status);
        Assert.True(emulator.State.RemoveFault(first.Id));
        Assert.False(emulator.State.RemoveFault(first.Id));
        Assert.Equal(200, (await emulator.GetAsync("rest/api/3/serverInfo")).Status);
        emulator.State.ClearFaults();
        Assert.Empty(emulator.State.Faults);
        Assert.Equal(200, (await emulator.GetAsync("rest/api/3/myself", Seeded.CloudAdmin)).Status);
    }

    [Theory]
    [InlineData("""{"status":429}""")]
    [InlineData("""{"kind":"status"}""")]
    [InlineData("""{"kind":"status","status":42}""")]
    [InlineData("""{"kind":"delay"}""")]
    [InlineData("""{"kind":"drop","times":0}""")]
    [InlineData("""{"kind":"drop","path":"rest"}""")]
    [InlineData("""{"kind":"explode"}""")]
    [InlineData("""not json""")]
    public async Task Invalid_fault_specs_are_400(string body)
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);

        var response = await emulator.SendAsync(HttpMethod.Post, "_emulator/faults", jsonBody: body);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.Json.GetProperty("errorMessages")[0].GetString()!);
        Assert.Empty(emulator.State.Faults);
    }
}

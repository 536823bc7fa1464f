#nullable enable
using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.Services;
using JiraConnect.Tests.Webhooks;
using JiraConnect.Webhooks;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using Xunit;
using Emu = JiraConnect.Core.Tests.Engine.Emu;

namespace JiraConnect.Tests.Contract;

/// <summary>
/// Issue creation and transitions (validated against the OpenAPI documents) and the Jira Automation stand-in:
/// rules send the web request as Jira would, into the module's own listener, and write the audit log.
/// </summary>
public sealed class AutomationTests
{
    public static TheoryData<EmulatorFlavor> Flavors => [EmulatorFlavor.Cloud, EmulatorFlavor.DataCenter];

    private const string ListenerToken = "listener-token-1234";

    private static string CreateBody(string project = "DEV", string summary = "Printer on fire", string type = "Bug") =>
        $$$"""{"fields":{"project":{"key":"{{{project}}}"},"summary":"{{{summary}}}","issuetype":{"name":"{{{type}}}"},"labels":["hot"]}}""";

    private static async Task<ApiResponse> SendValidAsync(EmulatorHarness emulator, HttpMethod method, string path, Credential credential, string? body, int status)
    {
        var response = await emulator.SendAsync(method, path, credential, body);
        Assert.True(status == response.Status, $"Expected {status}, got {response}");
        if (response.Body.Length > 0) OpenApiContract.AssertConforms(emulator.Document, response);
        return response;
    }

    private static async Task<AutomationAuditEntry> AuditAsync(EmulatorHarness emulator, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (emulator.State.Automation.Audit.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "The rule wrote no audit entry within 30 s.");
            await Task.Delay(20);
        }

        return emulator.State.Automation.Audit[count - 1];
    }

    private static void Allow(EmulatorHarness emulator, string expression = "http://127.0.0.1:*") =>
        emulator.State.Automation.SetAllowlist(new AllowlistSettings { Enabled = true, Rules = [new AllowlistRule { Expression = expression, Type = "WILDCARD_EXPRESSION" }] });

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Created_issues_conform_and_can_be_read_back(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var admin = Seeded.Admin(flavor);

        var created = await SendValidAsync(emulator, HttpMethod.Post, $"{emulator.Api}/issue", admin, CreateBody(), 201);
        var key = created.Json.GetProperty("key").GetString();
        var read = await emulator.GetValidAsync($"{emulator.Api}/issue/{key}", admin, 200);

        Assert.Equal("DEV-121", key);
        Assert.EndsWith("/issue/" + created.Json.GetProperty("id").GetString(), created.Json.GetProperty("self").GetString());
        Assert.Equal("Printer on fire", read.Json.GetProperty("fields").GetProperty("summary").GetString());
        Assert.Equal("To Do", read.Json.GetProperty("fields").GetProperty("status").GetProperty("name").GetString());
        Assert.Equal("Bug", read.Json.GetProperty("fields").GetProperty("issuetype").GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Invalid_creations_answer_400_with_field_errors(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);

        var missing = await SendValidAsync(emulator, HttpMethod.Post, $"{emulator.Api}/issue", Seeded.Admin(flavor), """{"fields":{}}""", 400);
        var hidden = await SendValidAsync(emulator, HttpMethod.Post, $"{emulator.Api}/issue", Seeded.Limited(flavor), CreateBody(project: "FIN"), 400);
        var anonymous = await emulator.SendAsync(HttpMethod.Post, $"{emulator.Api}/issue", null, CreateBody());
        var wrongMethod = await emulator.SendAsync(HttpMethod.Get, $"{emulator.Api}/issue", Seeded.Admin(flavor));

        var errors = missing.Json.GetProperty("errors");
        Assert.Equal("valid project is required", errors.GetProperty("project").GetString());
        Assert.Equal("You must specify a summary of the issue.", errors.GetProperty("summary").GetString());
        Assert.Equal("valid issue type is required", errors.GetProperty("issuetype").GetString());
        Assert.Equal("valid project is required", hidden.Json.GetProperty("errors").GetProperty("project").GetString());
        Assert.Equal(401, anonymous.Status);
        Assert.Equal(405, wrongMethod.Status);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Transitions_conform_and_move_the_issue(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor);
        var admin = Seeded.Admin(flavor);

        var before = await SendValidAsync(emulator, HttpMethod.Get, $"{emulator.Api}/issue/DEV-1/transitions", admin, null, 200);
        var moved = await emulator.SendAsync(HttpMethod.Post, $"{emulator.Api}/issue/DEV-1/transitions", admin, """{"transition":{"id":"31"}}""");
        var after = await emulator.GetValidAsync($"{emulator.Api}/issue/DEV-1?fields=status", admin, 200);
        var invalid = await SendValidAsync(emulator, HttpMethod.Post, $"{emulator.Api}/issue/DEV-1/transitions", admin, """{"transition":{"id":"31"}}""", 400);

        Assert.Equal(["21", "31"], before.Json.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(204, moved.Status);
        Assert.Equal("Done", after.Json.GetProperty("fields").GetProperty("status").GetProperty("name").GetString());
        Assert.Equal("Transition id '31' is not valid for this issue.", invalid.Json.GetProperty("errorMessages")[0].GetString());
    }

    [Fact]
    public async Task A_rule_delivers_to_the_modules_listener_exactly_as_described()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        using var listener = JiraWebhookListener.Start(new JiraWebhookListenerOptions { Token = Secure(ListenerToken), Path = "/hooks/jira" });
        emulator.State.Automation.AddRule(new AutomationRuleSpec
        {
            Name = "Notify the integration", Trigger = "issue_created", Project = "DEV", Url = listener.Url.ToString(),
            Headers = new() { ["Authorization"] = "Bearer " + ListenerToken }, Body = "jira",
        });

        var created = await emulator.SendAsync(HttpMethod.Post, "rest/api/3/issue", Seeded.CloudAdmin, CreateBody());
        var delivery = Assert.Single(await listener.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        var audit = await AuditAsync(emulator);

        Assert.Equal("POST", delivery.Method);
        Assert.Equal("/hooks/jira", delivery.Path);
        Assert.True(delivery.TokenValid);
        Assert.Equal("application/json", delivery.ContentType);
        var issue = JsonDocument.Parse(delivery.Body).RootElement.GetProperty("issue");
        Assert.Equal(created.Json.GetProperty("key").GetString(), issue.GetProperty("key").GetString());
        Assert.EndsWith("/rest/api/2/issue/" + created.Json.GetProperty("id").GetString(), issue.GetProperty("self").GetString());
        Assert.Equal("Printer on fire", issue.GetProperty("fields").GetProperty("summary").GetString());
        Assert.Equal(("SUCCESS", (int?)200, "issue_created", "Notify the integration"), (audit.Status, audit.HttpStatus, audit.Trigger, audit.RuleName));
        Assert.Equal(["Authorization"], emulator.State.Automation.Rules.Single().HeaderNames);
    }

    [Fact]
    public async Task Custom_data_and_transitions_render_smart_values_in_both_spellings()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);
        Allow(emulator);
        using var listener = JiraWebhookListener.Start(new JiraWebhookListenerOptions());
        emulator.State.Automation.AddRule(new AutomationRuleSpec
        {
            Trigger = "issue_transitioned", ToStatus = "In Progress", Url = listener.Url.ToString(), Body = "custom", EncodeAsForm = true,
            CustomData = "key={{issue.key}}&status=${issue.fields.status.name}&by={{initiator.displayName.urlEncode}}&missing={{issue.nosuch}}",
        });

        await emulator.SendAsync(HttpMethod.Post, "rest/api/2/issue/DEV-1/transitions", Seeded.DataCenterAdmin, """{"transition":{"id":"21"}}""");
        var delivery = Assert.Single(await listener.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal("application/x-www-form-urlencoded", delivery.ContentType);
        Assert.Equal("key=DEV-1&status=In Progress&by=Ada%20Admin&missing=", delivery.Body);
        Assert.Null(delivery.TokenValid);
    }

    [Fact]
    public async Task Failures_are_audited_once_without_retry_or_redirect()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        using var listener = JiraWebhookListener.Start(new JiraWebhookListenerOptions { Token = Secure(ListenerToken) });
        await using var slow = CannedServer.Status(200, "OK", delay: TimeSpan.FromSeconds(10));
        await using var target = CannedServer.Status(200, "OK");
        await using var moved = CannedServer.Status(302, "Found", "Location: " + target.Url);
        var automation = emulator.State.Automation;
        automation.AddRule(new AutomationRuleSpec { Name = "no token", Trigger = "issue_created", Url = listener.Url.ToString(), Body = "automation" });
        automation.AddRule(new AutomationRuleSpec { Name = "slow", Trigger = "issue_created", Url = slow.Url.ToString(), ResponseTimeoutMs = 500 });
        automation.AddRule(new AutomationRuleSpec { Name = "moved", Trigger = "issue_created", Url = moved.Url.ToString(), Body = "empty" });

        await emulator.SendAsync(HttpMethod.Post, "rest/api/3/issue", Seeded.CloudAdmin, CreateBody());
        await AuditAsync(emulator, 3);
        var audit = automation.Audit.ToDictionary(a => a.RuleName);

        Assert.Equal(("FAILURE", (int?)401), (audit["no token"].Status, audit["no token"].HttpStatus));
        Assert.False(Assert.Single(await listener.ReceiveAsync(1, TimeSpan.FromSeconds(5), CancellationToken.None)).TokenValid);
        Assert.Equal(("FAILURE", (int?)null), (audit["slow"].Status, audit["slow"].HttpStatus));
        Assert.Contains("no response within 0.5 seconds", audit["slow"].Message);
        Assert.Single(slow.Requests);
        Assert.Equal(("FAILURE", (int?)302), (audit["moved"].Status, audit["moved"].HttpStatus));
        Assert.Single(moved.Requests);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task Data_center_sends_only_to_allowlisted_urls_and_reports_the_allowlist()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);
        using var listener = JiraWebhookListener.Start(new JiraWebhookListenerOptions());
        emulator.State.Automation.AddRule(new AutomationRuleSpec { Trigger = "issue_created", Url = listener.Url.ToString() });

        await emulator.SendAsync(HttpMethod.Post, "rest/api/2/issue", Seeded.DataCenterAdmin, CreateBody());
        var blocked = await AuditAsync(emulator);
        Allow(emulator, listener.Url.ToString().TrimEnd('/') + "*");
        await emulator.SendAsync(HttpMethod.Post, "rest/api/2/issue", Seeded.DataCenterAdmin, CreateBody());
        var allowed = await AuditAsync(emulator, 2);

        Assert.Equal(("FAILURE", (int?)null), (blocked.Status, blocked.HttpStatus));
        Assert.Contains("not on the allowlist", blocked.Message);
        Assert.Equal("SUCCESS", allowed.Status);
        Assert.Single(await listener.ReceiveAsync(0, TimeSpan.FromSeconds(5), CancellationToken.None));

        var admin = await emulator.GetAsync("rest/whitelist/latest/", Seeded.DataCenterAdmin);
        var limited = await emulator.GetAsync("rest/whitelist/latest/", Seeded.DataCenterLimited);
        var anonymous = await emulator.GetAsync("rest/whitelist/latest/");
        Assert.Equal(200, admin.Status);
        Assert.True(admin.Json.GetProperty("enabled").GetBoolean());
        Assert.Equal("WILDCARD_EXPRESSION", admin.Json.GetProperty("rules")[0].GetProperty("type").GetString());
        Assert.Equal(403, limited.Status);
        Assert.Equal(401, anonymous.Status);
    }

    [Fact]
    public async Task The_allowlist_check_reads_data_center_and_knows_cloud_has_none()
    {
        await using var dc = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter);
        await using var cloud = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud);
        Allow(dc, "https://hooks.example.com/*");
        using var admin = await Connect(dc, Emu.DcAdminPassword());
        using var limited = await Connect(dc, Emu.DcLimited());
        using var cloudSession = await Connect(cloud, Emu.CloudAdmin());

        var allowed = await JiraAllowlistService.CheckAsync(admin, new Uri("https://hooks.example.com/jira"), CancellationToken.None);
        var refused = await JiraAllowlistService.CheckAsync(admin, new Uri("https://other.example.com/jira"), CancellationToken.None);
        var unknown = await JiraAllowlistService.CheckAsync(limited, new Uri("https://hooks.example.com/jira"), CancellationToken.None);
        dc.State.Automation.SetAllowlist(new AllowlistSettings { Enabled = false });
        var disabled = await JiraAllowlistService.CheckAsync(admin, new Uri("https://other.example.com/jira"), CancellationToken.None);
        var notApplicable = await JiraAllowlistService.CheckAsync(cloudSession, new Uri("https://other.example.com/jira"), CancellationToken.None);

        Assert.Equal(JiraAllowlistStatus.Allowed, allowed.StatusKind);
        Assert.Equal("WILDCARD_EXPRESSION https://hooks.example.com/*", allowed.MatchedRule);
        Assert.Equal(JiraAllowlistStatus.NotAllowed, refused.StatusKind);
        Assert.Contains("Administration → System → Allowlist", refused.Message);
        Assert.Equal(JiraAllowlistStatus.Unknown, unknown.StatusKind);
        Assert.Contains("403", unknown.Message);
        Assert.Equal(JiraAllowlistStatus.AllowlistDisabled, disabled.StatusKind);
        Assert.Equal(JiraAllowlistStatus.NotApplicable, notApplicable.StatusKind);
    }

    [Theory]
    [InlineData("DOMAIN_NAME", "https://hooks.example.com", "https://hooks.example.com/a/b", true)]
    [InlineData("DOMAIN_NAME", "https://hooks.example.com", "http://hooks.example.com/a", false)]
    [InlineData("EXACT_URL", "https://hooks.example.com/jira", "https://hooks.example.com/jira", true)]
    [InlineData("EXACT_URL", "https://hooks.example.com/jira", "https://hooks.example.com/jira2", false)]
    [InlineData("WILDCARD_EXPRESSION", "https://*.example.com/*", "https://a.b.example.com/x", true)]
    [InlineData("WILDCARD_EXPRESSION", "https://*.example.com/*", "https://example.org/x", false)]
    [InlineData("REGULAR_EXPRESSION", "https://hooks\\.example\\.com/.*", "https://hooks.example.com/x", true)]
    [InlineData("REGULAR_EXPRESSION", "([", "https://hooks.example.com/x", false)]
    [InlineData("APPLICATION_LINK", "https://hooks.example.com", "https://hooks.example.com/x", false)]
    public void Allowlist_rule_types_match_like_jira(string type, string expression, string url, bool matches) =>
        Assert.Equal(matches, JiraAllowlistService.Matches(type, expression, new Uri(url)));

    private static async Task<JiraSession> Connect(EmulatorHarness emulator, JiraAuthentication authentication)
    {
        return await JiraConnector.ConnectAsync(new JiraConnectionOptions { Url = emulator.Emulator.BaseUrl, Authentication = authentication }, CancellationToken.None);
    }
}

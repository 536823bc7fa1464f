#nullable enable
using System;
using System.Collections;
using System.Linq;
using System.Text;
using System.Text.Json;
using JiraConnect.Webhooks;
using Xunit;

namespace JiraConnect.Tests.Webhooks;

/// <summary>The body formats of Send web request and admin webhooks, and the X-Hub-Signature HMAC.</summary>
public sealed class PayloadBuilderTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 9, 30, 0, TimeSpan.Zero);

    private static JsonElement Json(JiraWebhookBodyFormat format, string webhookEvent = JiraWebhookPayloadBuilder.IssueCreated) =>
        JsonDocument.Parse(JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = format, Timestamp = At, WebhookEvent = webhookEvent }).Body).RootElement;

    [Fact]
    public void Hmac_matches_the_test_vector_of_the_facts_file()
    {
        const string expected = "sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9";
        Assert.Equal(expected, WebhookSignature.Compute("It's a Secret to Everybody", "Hello World!"));

        var secret = Encoding.UTF8.GetBytes("It's a Secret to Everybody");
        var body = Encoding.UTF8.GetBytes("Hello World!");
        Assert.True(WebhookSignature.Verify(expected, secret, body));
        Assert.True(WebhookSignature.Verify(expected.ToUpperInvariant().Replace("SHA256=", "sha256="), secret, body));
        Assert.False(WebhookSignature.Verify(expected, secret, Encoding.UTF8.GetBytes("Hello World?")));
        Assert.False(WebhookSignature.Verify(expected.Replace("sha256", "md5"), secret, body));
        Assert.False(WebhookSignature.Verify("a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9", secret, body));
        Assert.False(WebhookSignature.Verify(null!, secret, body));
    }

    [Fact]
    public void Fixed_time_comparison_compares_contents_and_lengths()
    {
        Assert.True(WebhookSignature.FixedTimeEquals([1, 2, 3], [1, 2, 3]));
        Assert.False(WebhookSignature.FixedTimeEquals([1, 2, 3], [1, 2, 4]));
        Assert.False(WebhookSignature.FixedTimeEquals([1, 2, 3], [1, 2]));
        Assert.False(WebhookSignature.FixedTimeEquals([], null!));
    }

    [Fact]
    public void Empty_has_no_body_and_no_content_type()
    {
        var payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.Empty });
        Assert.Equal(string.Empty, payload.Body);
        Assert.Null(payload.ContentType);
        Assert.Null(payload.Json);
        Assert.Equal("IT-4", payload.IssueKey);
    }

    [Fact]
    public void Automation_format_is_the_bare_issue_and_jira_format_wraps_it()
    {
        var automation = Json(JiraWebhookBodyFormat.AutomationIssue);
        var jira = Json(JiraWebhookBodyFormat.JiraIssue);

        Assert.Equal("IT-4", automation.GetProperty("key").GetString());
        Assert.Equal("10042", automation.GetProperty("id").GetString());
        Assert.Equal("VPN disconnects every few minutes", automation.GetProperty("fields").GetProperty("summary").GetString());
        Assert.Equal(["issue"], jira.EnumerateObject().Select(p => p.Name));
        Assert.Equal(automation.GetRawText(), jira.GetProperty("issue").GetRawText());
    }

    [Fact]
    public void Service_management_adds_the_timestamp_in_epoch_milliseconds()
    {
        var body = Json(JiraWebhookBodyFormat.ServiceManagement);
        Assert.Equal(["issue", "timestamp"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(At.ToUnixTimeMilliseconds(), body.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public void Sla_breached_is_the_jira_format_issue_with_its_sla_field_breached()
    {
        var body = Json(JiraWebhookBodyFormat.SlaBreached);
        var jira = Json(JiraWebhookBodyFormat.JiraIssue);

        Assert.Equal(["issue"], body.EnumerateObject().Select(p => p.Name));
        var issue = body.GetProperty("issue");
        Assert.Equal("IT-4", issue.GetProperty("key").GetString());
        var sla = issue.GetProperty("fields").GetProperty(JiraWebhookSample.SlaFieldId);
        Assert.Equal(["id", "name", "_links", "completedCycles", "ongoingCycle", "slaDisplayFormat"], sla.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Time to resolution", sla.GetProperty("name").GetString());
        Assert.Equal("https://example.atlassian.net/rest/servicedeskapi/request/10042/sla/2", sla.GetProperty("_links").GetProperty("self").GetString());
        var cycle = sla.GetProperty("ongoingCycle");
        Assert.True(cycle.GetProperty("breached").GetBoolean());
        Assert.Equal(14_400_000, cycle.GetProperty("goalDuration").GetProperty("millis").GetInt64());
        Assert.Equal("4h", cycle.GetProperty("goalDuration").GetProperty("friendly").GetString());
        Assert.Equal(-60_000, cycle.GetProperty("remainingTime").GetProperty("millis").GetInt64());
        Assert.Equal("-1m", cycle.GetProperty("remainingTime").GetProperty("friendly").GetString());
        Assert.Equal(At.AddMinutes(-1).ToUnixTimeMilliseconds(), cycle.GetProperty("breachTime").GetProperty("epochMillis").GetInt64());
        Assert.Equal("2025-03-04T09:29:00+0000", cycle.GetProperty("breachTime").GetProperty("iso8601").GetString());
        // The rest of the issue is the Jira-format sample, unchanged.
        Assert.False(jira.GetProperty("issue").GetProperty("fields").TryGetProperty(JiraWebhookSample.SlaFieldId, out _));
        Assert.Equal(jira.GetProperty("issue").GetProperty("fields").EnumerateObject().Count() + 1, issue.GetProperty("fields").EnumerateObject().Count());
    }

    [Fact]
    public void System_webhook_has_the_admin_webhook_fields_and_headers()
    {
        var payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest
        {
            Format = JiraWebhookBodyFormat.SystemWebhook, Timestamp = At, WebhookEvent = JiraWebhookPayloadBuilder.IssueUpdated, WebhookIdentifier = "abc-123",
        });
        var body = JsonDocument.Parse(payload.Body).RootElement;

        Assert.Equal(["timestamp", "webhookEvent", "issue_event_type_name", "user", "issue", "changelog"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("jira:issue_updated", body.GetProperty("webhookEvent").GetString());
        Assert.Equal("issue_generic", body.GetProperty("issue_event_type_name").GetString());
        Assert.Equal("Waiting for support", body.GetProperty("changelog").GetProperty("items")[0].GetProperty("toString").GetString());
        Assert.Equal("abc-123", payload.WebhookIdentifier);
        Assert.Equal("abc-123", payload.Headers[JiraWebhookPayloadBuilder.IdentifierHeader]);
        Assert.Equal("Primary", payload.Headers[JiraWebhookPayloadBuilder.FlowHeader]);
        Assert.Contains("+0000", payload.Body); // Jira's timestamps are not escaped (\u002B).
    }

    [Fact]
    public void A_new_identifier_is_made_for_each_system_webhook()
    {
        var first = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.SystemWebhook });
        var second = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.SystemWebhook });
        Assert.NotEqual(first.WebhookIdentifier, second.WebhookIdentifier);
        Assert.True(Guid.TryParse(first.WebhookIdentifier, out _));
    }

    [Fact]
    public void The_sample_moves_into_a_project()
    {
        var project = new JiraProject { Id = "10000", Key = "DEV", Name = "Development", ProjectTypeKey = "software", Url = new Uri("https://jira.example.com/rest/api/2/project/10000") };
        var issue = JiraWebhookSample.Issue(project);
        var payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.JiraIssue, Project = project });

        Assert.Equal("DEV-1", issue["key"]);
        Assert.Equal("DEV-1", payload.IssueKey);
        Assert.Contains("https://jira.example.com/rest/api/2/issue/10042", payload.Body);
        Assert.Equal("Development", ((IDictionary)((IDictionary)issue["fields"]!)["project"]!)["name"]);
    }

    [Fact]
    public void Issue_input_is_unwrapped_from_a_jira_format_body()
    {
        var body = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.JiraIssue }).Body;
        var issue = JiraWebhookPayloadBuilder.ReadIssue(body);
        Assert.Equal("IT-4", issue["key"]);
        Assert.Equal("IT-4", JiraWebhookPayloadBuilder.ReadIssue(new Hashtable { ["key"] = "IT-4", ["fields"] = new Hashtable() })["KEY"]);
    }

    [Fact]
    public void Form_fields_decode_escapes_plus_signs_and_characters_outside_the_basic_plane()
    {
        var fields = WebhookContent.ParseForm(Encoding.UTF8.GetBytes("a=%F0%9F%98%80+x&b=\U0001F600 y&c=100%25&d=%zz&a=2"));
        Assert.Equal(new object[] { "\U0001F600 x", "2" }, (object[])fields["a"]!);
        Assert.Equal("\U0001F600 y", fields["b"]);
        Assert.Equal("100%", fields["c"]);
        Assert.Equal("%zz", fields["d"]);
    }

    [Theory]
    [InlineData(JiraWebhookBodyFormat.Custom, null, false, "CustomData")]
    [InlineData(JiraWebhookBodyFormat.JiraIssue, "{}", false, "CustomData")]
    [InlineData(JiraWebhookBodyFormat.JiraIssue, null, true, "EncodeAsForm")]
    [InlineData(JiraWebhookBodyFormat.JiraIssue, null, false, "WebhookIdentifier", "retry-1")]
    [InlineData(JiraWebhookBodyFormat.AutomationIssue, null, false, "WebhookIdentifier", "retry-1")]
    public void Parameter_combinations_jira_does_not_offer_are_refused(JiraWebhookBodyFormat format, string? customData, bool form, string target, string? identifier = null)
    {
        var error = Assert.Throws<JiraException>(() => JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest
        {
            Format = format, CustomData = customData, EncodeAsForm = form, WebhookIdentifier = identifier,
        }));
        Assert.Equal(JiraErrorId.ParameterNotSupported, error.ErrorId);
        Assert.Equal(target, error.Target);
    }

    [Fact]
    public void Custom_text_is_sent_as_rendered_and_a_form_template_keeps_its_own_encoding()
    {
        var json = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest
        {
            Format = JiraWebhookBodyFormat.Custom, CustomData = "{\"key\":\"{{issue.key}}\",\"priority\":\"${issue.fields.priority.name}\"}",
        });
        var form = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest
        {
            Format = JiraWebhookBodyFormat.Custom, EncodeAsForm = true, CustomData = "key={{issue.key}}&summary={{issue.summary.urlEncode}}",
        });

        Assert.Equal("{\"key\":\"IT-4\",\"priority\":\"High\"}", json.Body);
        Assert.Equal(JiraWebhookPayloadBuilder.JsonContentType, json.ContentType);
        Assert.Equal("key=IT-4&summary=VPN%20disconnects%20every%20few%20minutes", form.Body);
        Assert.Equal("VPN disconnects every few minutes", WebhookContent.ParseForm(Encoding.UTF8.GetBytes(form.Body))["summary"]);
    }
}

#nullable enable
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text;
using System.Text.Json;
using JiraConnect.Webhooks;
using Xunit;

namespace JiraConnect.Tests.Webhooks;

/// <summary>
/// Property and fuzz tests of smart-value rendering: random templates never crash it (only JiraTemplateException
/// with one of its two ids), and rendered values survive the encodings they are asked for.
/// </summary>
public sealed class SmartValueFuzzTests
{
    private static readonly string[] Pieces =
    [
        "{{", "}}", "${", "}", "{", "$", "issue", "triggerIssue", "project", "initiator", "changelog", "now", "rule", ".", "..",
        "key", "fields", "priority", "name", "summary", "labels", "status", "components", "assignee", "jsonEncode", "asJsonString",
        "urlEncode", "htmlEncode", "toUpperCase()", "toLowerCase()", "trim()", "length()", "size", "first", "last", "isEmpty",
        "join(\", \")", "join()", "join(\"a\" \"b\")", "(", ")", "\"", "#if", "/", "^", "!", " ", "a", "\n", "\r", "\\", "ü", "😀",
        "\uD800", "Story Points", "customfield_10010", "x", "0", "{\"k\":", "\"v\"}", ":", ",", "&", "=",
    ];

    private static readonly string[] Roots = ["issue", "triggerIssue", "project", "initiator", "changelog", "now", "rule", "tissue"];

    private static readonly string[] Steps =
    [
        "key", "fields", "priority", "name", "summary", "labels", "status", "statusCategory", "components", "assignee", "displayName",
        "items", "toString", "jsonEncode", "urlEncode", "size", "first", "last", "join(\"-\")", "toUpperCase()", "trim()", "isEmpty",
        "nosuch", "customfield_1", "resolution", "",
    ];

    private static SmartValueContext Context(object? issue = null) =>
        new(issue ?? JiraWebhookSample.Issue(), JiraWebhookSample.User(), JiraWebhookSample.Changelog(JiraWebhookPayloadBuilder.IssueUpdated),
            new DateTimeOffset(2025, 3, 4, 9, 0, 0, TimeSpan.Zero), "Fuzz rule");

    [Fact]
    public void Random_templates_render_or_fail_with_a_template_error_only()
    {
        var random = new Random(4711);
        var context = Context();
        int rendered = 0, syntax = 0, unknown = 0;
        for (int i = 0; i < 20_000; i++)
        {
            // Half free-form, half shaped like a smart value with a random path.
            var template = i % 2 == 0
                ? string.Concat(Enumerable.Range(0, random.Next(0, 14)).Select(_ => Pieces[random.Next(Pieces.Length)]))
                : (random.Next(2) == 0 ? "{{" : "${") + Roots[random.Next(Roots.Length)]
                    + string.Concat(Enumerable.Range(0, random.Next(0, 5)).Select(_ => "." + Steps[random.Next(Steps.Length)]))
                    + (random.Next(2) == 0 ? "}}" : "}");
            try
            {
                var text = JiraSmartValue.Render(template, context);
                Assert.NotNull(text);
                Assert.DoesNotContain(text, c => char.IsSurrogate(c) && !IsPaired(text, c));
                rendered++;
            }
            catch (JiraTemplateException e)
            {
                Assert.True(e.ErrorId is JiraErrorId.SmartValueSyntaxError or JiraErrorId.SmartValueUnknownPath, e.ErrorId);
                Assert.InRange(e.Position, 0, Math.Max(0, template.Length - 1));
                Assert.False(string.IsNullOrEmpty(e.RecommendedAction));
                if (e.ErrorId == JiraErrorId.SmartValueSyntaxError) syntax++; else unknown++;
            }
        }

        // The generator reaches every outcome, so the property is not vacuous.
        Assert.True(rendered > 1000 && syntax > 1000 && unknown > 1000, $"rendered {rendered}, syntax {syntax}, unknown {unknown}");
    }

    [Fact]
    public void Random_bytes_as_templates_never_crash_the_renderer()
    {
        var random = new Random(99);
        var context = Context();
        for (int i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(0, 64)];
            for (int k = 0; k < chars.Length; k++) chars[k] = (char)random.Next(0, 0x10000);
            var template = new string(chars);
            var error = Record.Exception(() => JiraSmartValue.Render(template, context));
            Assert.True(error is null or JiraTemplateException, error?.ToString());
        }
    }

    [Fact]
    public void Text_without_smart_values_comes_out_unchanged()
    {
        var random = new Random(7);
        var context = Context();
        for (int i = 0; i < 2_000; i++)
        {
            var text = RandomText(random, 40).Replace("{{", "{ {").Replace("${", "$ {");
            Assert.Equal(text, JiraSmartValue.Render(text, context));
        }
    }

    [Fact]
    public void Both_spellings_render_the_same_values_and_encodings_round_trip()
    {
        var random = new Random(2024);
        for (int i = 0; i < 2_000; i++)
        {
            var key = "K" + random.Next(1, 100_000) + "-" + random.Next(1, 1000);
            var summary = RandomText(random, 30);
            var issue = WebhookTree.Normalize(new Dictionary<string, object>
            {
                ["key"] = key,
                ["fields"] = new Dictionary<string, object> { ["summary"] = summary, ["priority"] = new Dictionary<string, object> { ["name"] = "High" } },
            });
            var context = Context(issue);

            Assert.Equal(key, JiraSmartValue.Render("{{issue.key}}", context));
            Assert.Equal(key, JiraSmartValue.Render("${issue.key}", context));
            Assert.Equal(summary, JiraSmartValue.Render("{{issue.summary}}", context));
            Assert.Equal(summary, JiraSmartValue.Render("${issue.fields.summary}", context));
            Assert.Equal("High", JiraSmartValue.Render("${issue.fields.priority.name}", context));

            var encoded = JiraSmartValue.Render("{\"s\":\"{{issue.summary.jsonEncode}}\"}", context);
            Assert.Equal(summary, JsonDocument.Parse(encoded).RootElement.GetProperty("s").GetString());
            Assert.Equal(summary, JsonSerializer.Deserialize<string>(JiraSmartValue.Render("{{issue.summary.asJsonString}}", context)));
            Assert.Equal(summary, Uri.UnescapeDataString(JiraSmartValue.Render("${issue.summary.urlEncode}", context)));
        }
    }

    [Fact]
    public void Dictionary_custom_data_is_always_valid_json_and_form_fields_round_trip()
    {
        var random = new Random(31337);
        for (int i = 0; i < 1_000; i++)
        {
            var data = new Hashtable();
            var expected = new Dictionary<string, string>();
            for (int f = 0; f < random.Next(1, 6); f++)
            {
                var name = "f" + f + RandomText(random, 6).Replace("{{", "").Replace("${", "");
                var value = RandomText(random, 20).Replace("{{", "{").Replace("${", "$");
                data[name] = value + "{{issue.key}}";
                expected[name] = value + "IT-4";
            }

            var json = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.Custom, CustomData = data });
            using (var document = JsonDocument.Parse(json.Body))
            {
                foreach (var (name, value) in expected)
                    Assert.Equal(value, document.RootElement.GetProperty(name).GetString());
            }

            var form = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.Custom, CustomData = data, EncodeAsForm = true });
            Assert.Equal(JiraWebhookPayloadBuilder.FormContentType, form.ContentType);
            var fields = WebhookContent.ParseForm(Encoding.UTF8.GetBytes(form.Body));
            Assert.Equal(expected.Count, fields.Count);
            foreach (var (name, value) in expected)
                Assert.Equal(value, fields[name]);
        }
    }

    [Theory]
    [InlineData("{{issue.key", JiraErrorId.SmartValueSyntaxError, 0)]
    [InlineData("x ${issue.key", JiraErrorId.SmartValueSyntaxError, 2)]
    [InlineData("{{}}", JiraErrorId.SmartValueSyntaxError, 0)]
    [InlineData("{{issue..key}}", JiraErrorId.SmartValueSyntaxError, 0)]
    [InlineData("{{#if issue.key}}x{{/}}", JiraErrorId.SmartValueSyntaxError, 0)]
    [InlineData("{{issue.{{key}}}}", JiraErrorId.SmartValueSyntaxError, 0)]
    [InlineData("{{issue.labels.join(,)}}", JiraErrorId.SmartValueSyntaxError, 0)]
    [InlineData("ab {{issue.fields.prority.name}}", JiraErrorId.SmartValueUnknownPath, 3)]
    [InlineData("{{issue.key.foo}}", JiraErrorId.SmartValueUnknownPath, 0)]
    [InlineData("{{tissue.key}}", JiraErrorId.SmartValueUnknownPath, 0)]
    [InlineData("{{issue.summary.reverse()}}", JiraErrorId.SmartValueUnknownPath, 0)]
    public void Malformed_templates_and_unknown_paths_have_clear_errors(string template, string errorId, int position)
    {
        var error = Assert.Throws<JiraTemplateException>(() => JiraSmartValue.Render(template, Context()));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(position, error.Position);
        Assert.Equal(JiraErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("position " + position, error.Message + " position " + position);
    }

    [Theory]
    [InlineData("{{issue.key}}", "IT-4")]
    [InlineData("${issue.key}", "IT-4")]
    [InlineData("{{issue}}", "IT-4")]
    [InlineData("{{issue.status}}", "Waiting for support")]
    [InlineData("{{issue.fields.status.statusCategory.key}}", "indeterminate")]
    [InlineData("{{issue.labels}}", "vpn, remote-work")]
    [InlineData("{{issue.labels.size}}", "2")]
    [InlineData("{{issue.labels.first.toUpperCase()}}", "VPN")]
    [InlineData("{{issue.labels.join(\" | \")}}", "vpn | remote-work")]
    [InlineData("{{issue.components.name}}", "Network")]
    [InlineData("{{issue.resolution.name}}", "")]
    [InlineData("{{project.key}}", "IT")]
    [InlineData("{{initiator.displayName}}", "Alex Agent")]
    [InlineData("{{changelog.items.toString}}", "Waiting for support")]
    [InlineData("{{rule.name}}", "Fuzz rule")]
    [InlineData("{{now}}", "2025-03-04T09:00:00.000+0000")]
    [InlineData("{{ issue.key }}", "IT-4")]
    [InlineData("{\"a\":{\"b\":\"{{issue.key}}\"}}", "{\"a\":{\"b\":\"IT-4\"}}")]
    public void Smart_values_render_like_jira(string template, string expected) =>
        Assert.Equal(expected, JiraSmartValue.Render(template, Context()));

    private static bool IsPaired(string text, char c)
    {
        int i = text.IndexOf(c);
        return char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) : i > 0 && char.IsHighSurrogate(text[i - 1]);
    }

    internal static string RandomText(Random random, int maxLength)
    {
        string[] alphabet = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "&", "=", "+", "%", "ü", "€", "😀", "<", ">", "'", "\u0001", "/", "?", "#"];
        return string.Concat(Enumerable.Range(0, random.Next(0, maxLength)).Select(_ => alphabet[random.Next(alphabet.Length)]));
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Webhooks;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using Xunit;

namespace JiraConnect.Tests.Webhooks;

/// <summary>The sender's verdicts and what it puts on the wire, against small canned servers (short timeouts).</summary>
public sealed class SenderTests
{
    private static JiraWebhookRequest Request(Uri uri, JiraWebhookBodyFormat format = JiraWebhookBodyFormat.JiraIssue) => new()
    {
        Uri = uri,
        Payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = format }),
        Token = Secure("listener-token-1234"),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ResponseTimeout = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(200, "OK", JiraWebhookOutcome.Delivered, true)]
    [InlineData(204, "No Content", JiraWebhookOutcome.Delivered, true)]
    [InlineData(401, "Unauthorized", JiraWebhookOutcome.Unauthorized, false)]
    [InlineData(403, "Forbidden", JiraWebhookOutcome.Forbidden, false)]
    [InlineData(404, "Not Found", JiraWebhookOutcome.ClientError, false)]
    [InlineData(500, "Internal Server Error", JiraWebhookOutcome.ServerError, false)]
    [InlineData(302, "Found", JiraWebhookOutcome.Redirected, false)]
    public async Task Each_status_gets_its_verdict(int status, string reason, JiraWebhookOutcome outcome, bool succeeded)
    {
        await using var server = CannedServer.Status(status, reason, status == 302 ? "Location: https://elsewhere.example.com/hook" : null);

        var result = await JiraWebhookSender.SendAsync(Request(server.Url), CancellationToken.None);

        Assert.Equal(outcome, result.OutcomeKind);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(succeeded, result.Succeeded);
        Assert.Equal(1, result.Attempts);
        Assert.NotNull(result.ConnectTime);
        Assert.False(string.IsNullOrWhiteSpace(result.Verdict));
        Assert.Single(server.Requests); // No retry, no redirect followed.
        if (status == 302) Assert.Contains("Jira does not follow redirects", result.Verdict);
    }

    [Fact]
    public async Task The_request_on_the_wire_is_what_jira_sends()
    {
        await using var server = CannedServer.Status(200, "OK");
        var request = Request(server.Url, JiraWebhookBodyFormat.SystemWebhook);
        request.Secret = Secure("It's a Secret to Everybody");
        request.Headers = new Dictionary<string, string> { ["X-Tenant"] = "contoso" };

        var result = await JiraWebhookSender.SendAsync(request, CancellationToken.None);
        var raw = Assert.Single(server.Requests);
        var head = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var body = raw[(raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

        Assert.Equal("POST /hook HTTP/1.1", head[0]);
        Assert.Contains($"Host: 127.0.0.1:{server.Url.Port}", head);
        Assert.Contains("Content-Type: application/json", head);
        Assert.Contains($"Content-Length: {request.Payload.Length}", head);
        Assert.Contains("Authorization: Bearer listener-token-1234", head);
        Assert.Contains("X-Tenant: contoso", head);
        Assert.Contains($"X-Atlassian-Webhook-Identifier: {request.Payload.WebhookIdentifier}", head);
        Assert.Contains("X-Atlassian-Webhook-Flow: Primary", head);
        Assert.DoesNotContain(head, h => h.StartsWith("X-Atlassian-Webhook-Retry", StringComparison.Ordinal));
        Assert.Contains("X-Hub-Signature: " + WebhookSignature.Compute("It's a Secret to Everybody", request.Payload.Body), head);
        Assert.Equal(request.Payload.Body, body);
        Assert.Equal("Bearer ***", result.RequestHeaders["Authorization"]);
        Assert.Equal(request.Payload.WebhookIdentifier, result.WebhookIdentifier);
    }

    [Fact]
    public void Headers_given_as_secrets_or_named_like_keys_are_masked_where_they_are_shown()
    {
        var request = Request(new Uri("http://127.0.0.1:9/hook"), JiraWebhookBodyFormat.SystemWebhook);
        request.Headers = new Dictionary<string, string> { ["X-Routing"] = "plain-secret-value", ["X-Functions-Key"] = "function-key-value", ["X-Tenant"] = "contoso" };
        request.SecretHeaders = new[] { "x-routing" };

        var shown = JiraWebhookSender.DescribeHeaders(request);

        Assert.Equal("***", shown["X-Routing"]);
        Assert.Equal("***", shown["X-Functions-Key"]);
        Assert.Equal("contoso", shown["X-Tenant"]);
        Assert.DoesNotContain(shown.Values, v => v.Contains("plain-secret-value") || v.Contains("function-key-value"));
    }

    [Fact]
    public async Task A_refused_port_is_told_apart()
    {
        int port = FreePort();

        var result = await JiraWebhookSender.SendAsync(Request(new Uri($"http://127.0.0.1:{port}/")), CancellationToken.None);

        Assert.Equal(JiraWebhookOutcome.ConnectionRefused, result.OutcomeKind);
        Assert.Null(result.StatusCode);
        Assert.False(result.Succeeded);
        Assert.Contains("nothing listens", result.Verdict);
    }

    [Fact]
    public async Task A_slow_listener_times_out_after_the_response_timeout()
    {
        await using var server = CannedServer.Status(200, "OK", delay: TimeSpan.FromSeconds(5));
        var request = Request(server.Url);
        request.ResponseTimeout = TimeSpan.FromSeconds(1);

        var result = await JiraWebhookSender.SendAsync(request, CancellationToken.None);

        Assert.Equal(JiraWebhookOutcome.ResponseTimeout, result.OutcomeKind);
        Assert.InRange(result.TotalTime.TotalSeconds, 0.9, 3.5);
        Assert.Contains("does not retry", result.Verdict);
    }

    [Fact]
    public async Task A_connection_closed_without_an_answer_and_a_garbled_answer_fail_clearly()
    {
        await using var silent = new CannedServer(_ => null);
        await using var garbled = new CannedServer(_ => "SMTP ready\r\n\r\n");

        var closed = await JiraWebhookSender.SendAsync(Request(silent.Url), CancellationToken.None);
        var invalid = await JiraWebhookSender.SendAsync(Request(garbled.Url), CancellationToken.None);

        Assert.Equal(JiraWebhookOutcome.ConnectionFailed, closed.OutcomeKind);
        Assert.Equal(JiraWebhookOutcome.InvalidResponse, invalid.OutcomeKind);
    }

    [Fact]
    public async Task Retries_when_asked_keep_the_identifier_and_count_in_the_retry_header()
    {
        await using var server = new CannedServer(n => n == 1
            ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        var request = Request(server.Url, JiraWebhookBodyFormat.SystemWebhook);
        request.MaxRetries = 2;
        request.RetryInterval = TimeSpan.Zero;

        var result = await JiraWebhookSender.SendAsync(request, CancellationToken.None);

        Assert.Equal(JiraWebhookOutcome.Delivered, result.OutcomeKind);
        Assert.Equal(2, result.Attempts);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Contains($"X-Atlassian-Webhook-Identifier: {request.Payload.WebhookIdentifier}\r\n", r));
        Assert.DoesNotContain("X-Atlassian-Webhook-Retry", requests[0]);
        Assert.Contains("X-Atlassian-Webhook-Retry: 1\r\n", requests[1]);
    }

    [Fact]
    public async Task Redirects_are_followed_only_when_asked_and_the_token_stays_home()
    {
        await using var target = CannedServer.Status(200, "OK");
        await using var redirect = CannedServer.Status(307, "Temporary Redirect", "Location: " + target.Url);
        var request = Request(redirect.Url);
        request.FollowRedirects = true;

        var result = await JiraWebhookSender.SendAsync(request, CancellationToken.None);

        Assert.Equal(JiraWebhookOutcome.Delivered, result.OutcomeKind);
        Assert.Equal(target.Url, result.Uri);
        var forwarded = Assert.Single(target.Requests);
        Assert.StartsWith("POST /hook HTTP/1.1", forwarded);
        Assert.DoesNotContain("Authorization", forwarded); // Another port is another authority.
    }

    [Fact]
    public async Task A_burst_summarises_counts_and_percentiles()
    {
        await using var server = CannedServer.Status(200, "OK");
        var request = Request(server.Url, JiraWebhookBodyFormat.SystemWebhook);
        request.NewIdentifierPerRequest = true;
        int reported = 0;

        var burst = await JiraWebhookSender.SendBurstAsync(request, 200, 16, new Progress<int>(n => Interlocked.Exchange(ref reported, n)), CancellationToken.None);

        Assert.Equal(200, burst.Count);
        Assert.Equal(200, burst.Succeeded);
        Assert.Equal(0, burst.Failed);
        Assert.Equal(200, burst.Outcomes["Delivered"]);
        Assert.True(burst.LatencyMin <= burst.LatencyP50 && burst.LatencyP50 <= burst.LatencyP99 && burst.LatencyP99 <= burst.LatencyMax);
        Assert.True(burst.DeliveriesPerSecond > 0);
        Assert.Equal(200, burst.Results.Select(r => r.WebhookIdentifier).Distinct().Count());
        Assert.Equal(200, server.Requests.Count);
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => TimeSpan.FromMilliseconds(i)).ToArray();
        Assert.Equal(50, WebhookBurstStatistics.Percentile(sorted, 50).TotalMilliseconds);
        Assert.Equal(99, WebhookBurstStatistics.Percentile(sorted, 99).TotalMilliseconds);
        Assert.Equal(7, WebhookBurstStatistics.Percentile([TimeSpan.FromMilliseconds(7)], 99).TotalMilliseconds);
    }

    [Fact]
    public async Task Tokens_never_travel_unencrypted_to_another_computer_and_bad_headers_are_refused()
    {
        var remote = Request(new Uri("http://listener.example.com/hook"));
        var unencrypted = await Assert.ThrowsAsync<JiraException>(() => JiraWebhookSender.SendAsync(remote, CancellationToken.None));
        Assert.Equal(JiraErrorId.UnencryptedAuthenticationRefused, unencrypted.ErrorId);

        var injected = Request(new Uri("http://127.0.0.1:9/hook"));
        injected.Headers = new Dictionary<string, string> { ["X-Evil"] = "a\r\nHost: other" };
        var header = await Assert.ThrowsAsync<JiraException>(() => JiraWebhookSender.SendAsync(injected, CancellationToken.None));
        Assert.Equal(JiraErrorId.InvalidWebhookHeader, header.ErrorId);
    }
}

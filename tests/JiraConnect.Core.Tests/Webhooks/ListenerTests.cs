#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Webhooks;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using Xunit;

namespace JiraConnect.Tests.Webhooks;

/// <summary>The listener's protocol handling and bookkeeping, driven over raw sockets.</summary>
public sealed class ListenerTests : IDisposable
{
    private const string Token = "listener-token-1234";
    private readonly JiraWebhookListener _listener = JiraWebhookListener.Start(new JiraWebhookListenerOptions
    {
        Token = Secure(Token),
        Secret = Secure("It's a Secret to Everybody"),
        MaxBodyBytes = 1000,
    });

    public void Dispose() => _listener.Stop();

    private async Task<string> ExchangeAsync(string request, int answers = 1)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _listener.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (CountAnswers(text.ToString()) < answers)
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static int CountAnswers(string text) =>
        text.Split("HTTP/1.1 ").Count(part => part.Length > 0 && !part.StartsWith("100", StringComparison.Ordinal) && part.Contains("}", StringComparison.Ordinal));

    private static string Post(string body, string? authorization = "Bearer " + Token, string extra = "") =>
        $"POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n"
        + (authorization is null ? string.Empty : $"Authorization: {authorization}\r\n")
        + $"X-Hub-Signature: {WebhookSignature.Compute("It's a Secret to Everybody", body)}\r\n{extra}\r\n{body}";

    [Fact]
    public async Task A_valid_request_is_kept_with_its_checks()
    {
        var answer = await ExchangeAsync(Post("{\"a\":1}"));
        var delivery = Assert.Single(await _listener.ReceiveAsync(1, TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.StartsWith("HTTP/1.1 200 OK", answer);
        Assert.Contains("\"duplicate\":false", answer);
        Assert.True(delivery.Accepted);
        Assert.True(delivery.TokenValid);
        Assert.True(delivery.SignatureValid);
        Assert.Equal("{\"a\":1}", delivery.Body);
        Assert.Equal(1L, ((System.Collections.IDictionary)delivery.Json!)["a"]);
        Assert.Equal("Bearer ***", delivery.Headers["Authorization"]);
        Assert.Equal("/hooks", delivery.Path);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic " + Token)]
    [InlineData("Bearer " + Token + "x")]
    public async Task A_missing_or_wrong_token_is_401_with_a_challenge(string? authorization)
    {
        var answer = await ExchangeAsync(Post("{}", authorization));
        var delivery = Assert.Single(await _listener.ReceiveAsync(1, TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.StartsWith("HTTP/1.1 401 Unauthorized", answer);
        Assert.Contains("WWW-Authenticate: Bearer", answer);
        Assert.False(delivery.TokenValid);
        Assert.False(delivery.Accepted);
        Assert.Equal(401, delivery.StatusCode);
        Assert.Empty(delivery.RawBody); // a refused body is neither read nor kept, only its size
        Assert.Equal(2, delivery.BodyLength);
        Assert.Equal(1, _listener.RejectedCount);
    }

    [Fact]
    public async Task A_bad_signature_is_401()
    {
        var request = Post("{\"a\":1}").Replace("{\"a\":1}", "{\"a\":2}");
        var answer = await ExchangeAsync(request);
        var delivery = Assert.Single(await _listener.ReceiveAsync(1, TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.StartsWith("HTTP/1.1 401", answer);
        Assert.Contains("invalid_signature", answer);
        Assert.True(delivery.TokenValid);
        Assert.False(delivery.SignatureValid);
    }

    [Fact]
    public async Task An_oversized_body_is_413_whether_announced_or_chunked()
    {
        var announced = await ExchangeAsync($"POST / HTTP/1.1\r\nAuthorization: Bearer {Token}\r\nContent-Length: 5000\r\n\r\n" + new string('x', 5000));
        var chunked = await ExchangeAsync($"POST / HTTP/1.1\r\nAuthorization: Bearer {Token}\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n{new string('x', 1024)}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 413", announced);
        Assert.StartsWith("HTTP/1.1 413", chunked);
        Assert.Equal(2, _listener.RejectedCount);
    }

    [Fact]
    public async Task Expect_continue_is_honoured_and_refused_early_without_the_token()
    {
        const string body = "{\"b\":2}";
        string head(string auth) => $"POST / HTTP/1.1\r\nAuthorization: {auth}\r\nExpect: 100-continue\r\nContent-Length: {body.Length}\r\nX-Hub-Signature: {WebhookSignature.Compute("It's a Secret to Everybody", body)}\r\n\r\n";

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _listener.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head("Bearer " + Token)));
        var buffer = new byte[4096];
        int read = await stream.ReadAsync(buffer);
        Assert.StartsWith("HTTP/1.1 100 Continue", Encoding.ASCII.GetString(buffer, 0, read));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(body));
        read = await stream.ReadAsync(buffer);
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, read));

        var refused = await ExchangeAsync(head("Bearer nope"));
        Assert.StartsWith("HTTP/1.1 401", refused);
    }

    [Fact]
    public async Task Keep_alive_connections_serve_several_requests()
    {
        var answers = await ExchangeAsync(Post("{\"n\":1}") + Post("{\"n\":2}"), answers: 2);
        var deliveries = await _listener.ReceiveAsync(2, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(2, answers.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], deliveries.Select(d => d.Body));
        Assert.Equal([1L, 2L], deliveries.Select(d => d.Sequence));
    }

    [Fact]
    public async Task A_repeated_webhook_identifier_is_kept_once()
    {
        const string extra = "X-Atlassian-Webhook-Identifier: id-42\r\n";
        var first = await ExchangeAsync(Post("{}", extra: extra));
        var again = await ExchangeAsync(Post("{}", extra: extra + "X-Atlassian-Webhook-Retry: 1\r\n"));
        var deliveries = await _listener.ReceiveAsync(0, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Contains("\"duplicate\":false", first);
        Assert.Contains("\"duplicate\":true", again);
        var kept = Assert.Single(deliveries);
        Assert.Equal("id-42", kept.WebhookIdentifier);
        Assert.Equal(1, kept.DuplicateCount);
        Assert.Equal(1, _listener.DuplicateCount);
        Assert.Equal(1, _listener.ReceivedCount);
    }

    [Fact]
    public async Task Receive_waits_for_the_count_and_returns_what_arrived_on_timeout()
    {
        var waiting = _listener.ReceiveAsync(2, TimeSpan.FromSeconds(10), CancellationToken.None);
        await ExchangeAsync(Post("{\"n\":1}"));
        Assert.False(waiting.IsCompleted);
        await ExchangeAsync(Post("{\"n\":2}"));
        Assert.Equal(2, (await waiting).Count);

        await ExchangeAsync(Post("{\"n\":3}"));
        var partial = await _listener.ReceiveAsync(5, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Single(partial);
        Assert.Equal(0, _listener.PendingCount);
        Assert.Equal(3, _listener.GetDeliveries().Count);
    }

    [Fact]
    public async Task A_listener_for_one_path_answers_404_elsewhere_and_capacity_drops_the_oldest()
    {
        using var narrow = JiraWebhookListener.Start(new JiraWebhookListenerOptions { Path = "hooks/jira", Capacity = 10 });
        async Task<string> Send(string path)
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", narrow.Port);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            return await new StreamReader(client.GetStream()).ReadToEndAsync();
        }

        Assert.StartsWith("HTTP/1.1 404", await Send("/other"));
        Assert.StartsWith("HTTP/1.1 200", await Send("/hooks/jira/"));
        for (int i = 0; i < 10; i++) await Send("/hooks/jira");

        Assert.Equal("http://127.0.0.1:" + narrow.Port + "/hooks/jira", narrow.Url.ToString());
        Assert.Null(narrow.GetDeliveries().First().TokenValid);
        Assert.Equal(10, narrow.GetDeliveries().Count);
        Assert.Equal(2, narrow.DroppedCount);
        Assert.Equal(3, narrow.GetDeliveries().First().Sequence);
    }

    [Fact]
    public async Task Stopping_closes_the_port_and_forgets_the_listener()
    {
        using var listener = JiraWebhookListenerRegistry.Start(new JiraWebhookListenerOptions());
        Assert.Contains(listener, JiraWebhookListenerRegistry.GetAll());

        listener.Stop();

        Assert.False(listener.IsRunning);
        Assert.DoesNotContain(listener, JiraWebhookListenerRegistry.GetAll());
        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", listener.Port);
        });
        Assert.Empty(await listener.ReceiveAsync(1, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public void A_port_in_use_fails_with_ListenerStartFailed()
    {
        var error = Assert.Throws<JiraException>(() => JiraWebhookListener.Start(new JiraWebhookListenerOptions { Port = _listener.Port }));
        Assert.Equal(JiraErrorId.ListenerStartFailed, error.ErrorId);
    }
}

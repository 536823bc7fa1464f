#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Webhooks;
using static JiraConnect.Core.Tests.Engine.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace JiraConnect.Tests.Webhooks;

/// <summary>Socket-heavy and heap-measuring listener tests: they run alone, so other tests neither share the heap nor the port range.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ListenerHardeningCollection
{
    public const string Name = "Listener hardening";
}

/// <summary>The listener under hostile clients, over real sockets: memory, connection starvation, request smuggling, signatures.</summary>
[Collection(ListenerHardeningCollection.Name)]
public sealed class ListenerHardeningTests
{
    internal const string Token = "hardening-token-5678";
    internal const string Secret = "hardening-secret";
    private readonly ITestOutputHelper _output;

    public ListenerHardeningTests(ITestOutputHelper output) => _output = output;

    internal static JiraWebhookListener StartListener(string? secret = null) => JiraWebhookListener.Start(new JiraWebhookListenerOptions
    {
        Token = Secure(Token),
        Secret = secret is null ? null : Secure(secret),
    });

    /// <summary>Sends raw bytes (the body while the answer is read) and returns everything the listener sent until it closed.</summary>
    internal static async Task<(string Answer, bool Closed)> ExchangeAsync(int port, byte[] head, byte[]? body = null, TimeSpan? wait = null, bool untilClosed = true)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port);
        await client.SendAsync(head, SocketFlags.None);
        var sending = body is null ? Task.CompletedTask : Task.Run(async () =>
        {
            try { await client.SendAsync(body, SocketFlags.None); }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { }
        });
        var text = new StringBuilder();
        var buffer = new byte[8192];
        bool closed = false;
        // Read the whole answer, then (bounded) whether the listener closes the connection after it.
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                if (AnswerComplete(text.ToString()))
                {
                    if (!untilClosed) break;
                    timeout.CancelAfter(TimeSpan.FromSeconds(3));
                }
                int read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            closed = true; // reset after the answer
        }
        client.Dispose();
        await sending;
        return (text.ToString(), closed);
    }

    private static bool AnswerComplete(string text)
    {
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var length = System.Text.RegularExpressions.Regex.Match(text[..end], "Content-Length: (\\d+)");
        return length.Success && text.Length >= end + 4 + int.Parse(length.Groups[1].Value);
    }

    private static JiraWebhookRequest ValidDelivery(JiraWebhookListener listener) => new()
    {
        Uri = listener.Url,
        Payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.AutomationIssue }),
        Token = Secure(Token),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ResponseTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Rejected_bodies_are_not_kept_so_400_rejected_1MB_posts_leave_the_heap_flat()
    {
        using var listener = StartListener();
        var body = new byte[1024 * 1024];
        body.AsSpan().Fill((byte)'x');
        var head = Encoding.ASCII.GetBytes($"POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        // Warm up the listener's code paths before measuring.
        await ExchangeAsync(listener.Port, head, body, untilClosed: false);
        long before = GC.GetTotalMemory(forceFullCollection: true);

        for (int i = 0; i < 400; i++)
        {
            var (answer, _) = await ExchangeAsync(listener.Port, head, body, untilClosed: false);
            Assert.StartsWith("HTTP/1.1 401", answer);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        long growth = after - before;
        _output.WriteLine($"Managed heap growth after 400 rejected 1 MB POSTs: {growth / 1024.0 / 1024.0:0.00} MB");
        Assert.True(growth < 50L * 1024 * 1024, $"The heap grew by {growth / 1024 / 1024} MB.");
        var deliveries = listener.GetDeliveries();
        Assert.Equal(401, listener.RejectedCount);
        Assert.All(deliveries, d =>
        {
            Assert.Empty(d.RawBody);
            Assert.Equal(body.Length, d.BodyLength);
            Assert.Equal(401, d.StatusCode);
        });
    }

    [Fact]
    public async Task A_wrong_token_is_answered_at_once_without_waiting_for_a_slow_body()
    {
        using var listener = StartListener();
        var clock = Stopwatch.StartNew();
        // The body never comes: the answer must not wait for it, and the connection must close soon after.
        var (answer, closed) = await ExchangeAsync(listener.Port,
            Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nContent-Length: 1000\r\n\r\n"), wait: TimeSpan.FromSeconds(8));
        clock.Stop();

        Assert.StartsWith("HTTP/1.1 401", answer);
        Assert.Contains("WWW-Authenticate: Bearer", answer);
        Assert.True(closed, "The listener kept the connection open.");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"The connection was held {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task A_valid_delivery_is_answered_within_2_s_while_1100_idle_sockets_are_open()
    {
        using var listener = StartListener();
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < 1100; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(IPAddress.Loopback, listener.Port, connect.Token);
            }

            var clock = Stopwatch.StartNew();
            var result = await JiraWebhookSender.SendAsync(ValidDelivery(listener), CancellationToken.None);
            clock.Stop();

            _output.WriteLine($"Valid delivery under 1,100 idle sockets: {result.StatusCode} in {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(result.Succeeded, result.Verdict);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Answered after {clock.Elapsed.TotalSeconds:0.0} s.");
        }
        finally
        {
            foreach (var socket in idle) socket.Dispose();
        }
    }

    [Fact]
    public async Task A_valid_delivery_is_answered_within_2_s_while_1030_slow_loris_sockets_trickle()
    {
        using var listener = StartListener();
        var slow = new List<Socket>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // the trickle stops itself
        Task trickle = Task.CompletedTask;
        try
        {
            var start = Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            for (int i = 0; i < 1030; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                slow.Add(socket);
                using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(IPAddress.Loopback, listener.Port, connect.Token);
                await socket.SendAsync(start, SocketFlags.None);
            }
            // One byte a second on every socket still open, for at most 20 s.
            trickle = Task.Run(async () =>
            {
                var one = new byte[] { (byte)'a' };
                var alive = new List<Socket>(slow);
                while (!stop.IsCancellationRequested && alive.Count > 0)
                {
                    foreach (var socket in alive.ToArray())
                    {
                        try { socket.Send(one, SocketFlags.None); }
                        catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { alive.Remove(socket); }
                    }
                    try { await Task.Delay(1000, stop.Token); } catch (OperationCanceledException) { }
                }
            });
            // Let the trickle run a little: every slot the slow clients can take is taken.
            await Task.Delay(1500);

            var clock = Stopwatch.StartNew();
            var result = await JiraWebhookSender.SendAsync(ValidDelivery(listener), CancellationToken.None);
            clock.Stop();

            _output.WriteLine($"Valid delivery under 1,030 slow-loris sockets: {result.StatusCode} in {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(result.Succeeded, result.Verdict);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Answered after {clock.Elapsed.TotalSeconds:0.0} s.");
        }
        finally
        {
            stop.Cancel();
            await trickle;
            foreach (var socket in slow) socket.Dispose();
        }
    }

    public static TheoryData<string> SmugglingHeads => new()
    {
        "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token + "\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        "POST / HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nAuthorization: Bearer " + Token + "\r\nTransfer-Encoding: chunked\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(SmugglingHeads))]
    public async Task Ambiguous_framing_is_400_and_closes_the_connection_without_a_delivery(string head)
    {
        using var listener = StartListener();
        string smuggled = "POST /smuggled HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token + "\r\nContent-Length: 0\r\n\r\n";
        var (answer, closed) = await ExchangeAsync(listener.Port, Encoding.ASCII.GetBytes(head + "0\r\n\r\n" + smuggled));

        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Equal(1, answer.Split("HTTP/1.1 ").Length - 1);
        Assert.Contains("Connection: close", answer);
        Assert.True(closed, "The listener kept the connection open.");
        Assert.Empty(listener.GetDeliveries());
        Assert.Equal(0, listener.ReceivedCount);
    }

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha512")]
    public async Task Only_sha256_signatures_are_accepted_by_default(string algorithm)
    {
        using var listener = StartListener(Secret);
        const string body = "{\"webhookEvent\":\"jira:issue_created\"}";
        var (answer, _) = await ExchangeAsync(listener.Port, Encoding.ASCII.GetBytes(
            $"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {Token}\r\nContent-Length: {body.Length}\r\n"
            + $"X-Hub-Signature: {Sign(algorithm, Secret, body)}\r\n\r\n{body}"));
        var (sha256, _) = await ExchangeAsync(listener.Port, Encoding.ASCII.GetBytes(
            $"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {Token}\r\nContent-Length: {body.Length}\r\n"
            + $"X-Hub-Signature: {Sign("sha256", Secret, body)}\r\n\r\n{body}"));

        Assert.StartsWith("HTTP/1.1 401", answer);
        Assert.Contains("invalid_signature", answer);
        Assert.Contains(algorithm, answer);
        Assert.StartsWith("HTTP/1.1 200", sha256);
        var refused = listener.GetDeliveries().First();
        Assert.False(refused.SignatureValid);
        Assert.Empty(refused.RawBody);
    }

    internal static string Sign(string algorithm, string secret, string body)
    {
        byte[] key = Encoding.UTF8.GetBytes(secret), data = Encoding.UTF8.GetBytes(body);
        byte[] mac = algorithm switch
        {
            "sha1" => HMACSHA1.HashData(key, data),
            "sha512" => HMACSHA512.HashData(key, data),
            _ => HMACSHA256.HashData(key, data),
        };
        return algorithm + "=" + Convert.ToHexString(mac).ToLowerInvariant();
    }

    [Fact]
    public async Task The_sender_blames_the_signature_when_the_listener_rejects_the_signature()
    {
        using var listener = StartListener(Secret);
        var request = ValidDelivery(listener);
        request.Payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.SystemWebhook });
        request.Secret = Secure("not-the-secret");

        var result = await JiraWebhookSender.SendAsync(request, CancellationToken.None);

        Assert.Equal(401, result.StatusCode);
        Assert.Equal(JiraWebhookOutcome.Unauthorized, result.OutcomeKind);
        Assert.Contains("signature", result.Verdict, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", result.Verdict, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sender_masks_secrets_in_a_json_answer_and_keeps_it_valid_json()
    {
        const string json = "{\"echo\":\"Authorization: Bearer s3cr3t-value-0042\",\"callback\":\"https://h.example.com/cb?token=abc123\",\"token\":\"tok-999\",\"n\":1}";
        await using var server = new CannedServer(_ =>
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\nConnection: close\r\n\r\n{json}");

        var result = await JiraWebhookSender.SendAsync(new JiraWebhookRequest
        {
            Uri = server.Url,
            Payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.AutomationIssue }),
            ResponseTimeout = TimeSpan.FromSeconds(5),
        }, CancellationToken.None);

        _output.WriteLine(result.ResponseBody);
        Assert.DoesNotContain("s3cr3t-value-0042", result.ResponseBody);
        Assert.DoesNotContain("abc123", result.ResponseBody);
        Assert.DoesNotContain("tok-999", result.ResponseBody);
        using var parsed = System.Text.Json.JsonDocument.Parse(result.ResponseBody); // throws when masking cut the JSON
        Assert.Equal(1, parsed.RootElement.GetProperty("n").GetInt32());
        Assert.StartsWith("https://h.example.com/cb?token=", parsed.RootElement.GetProperty("callback").GetString());
    }
}

/// <summary>The limits a caller sets: bytes kept and signature methods allowed.</summary>
[Collection(ListenerHardeningCollection.Name)]
public sealed class ListenerLimitTests
{
    private static byte[] Post(string body, string? signature = null) => Encoding.ASCII.GetBytes(
        $"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {ListenerHardeningTests.Token}\r\nContent-Length: {body.Length}\r\n"
        + (signature is null ? string.Empty : $"X-Hub-Signature: {signature}\r\n") + "\r\n" + body);

    [Fact]
    public async Task The_byte_cap_drops_the_oldest_accepted_deliveries_and_counts_them()
    {
        using var listener = JiraWebhookListener.Start(new JiraWebhookListenerOptions
        {
            Token = Secure(ListenerHardeningTests.Token),
            MaxStoredBytes = 100_000,
        });
        string body = "\"" + new string('x', 19_998) + "\"";
        for (int i = 0; i < 10; i++)
        {
            var (answer, _) = await ListenerHardeningTests.ExchangeAsync(listener.Port, Post(body));
            Assert.StartsWith("HTTP/1.1 200", answer);
        }

        var kept = listener.GetDeliveries();
        Assert.Equal(100_000, listener.MaxStoredBytes);
        Assert.InRange(kept.Count, 3, 4); // 20,000-byte bodies plus headers under a 100,000-byte cap
        Assert.True(listener.StoredBytes <= 100_000, $"{listener.StoredBytes} bytes kept.");
        Assert.Equal(10 - kept.Count, listener.DroppedCount);
        Assert.Equal(Enumerable.Range(11 - kept.Count, kept.Count).Select(n => (long)n), kept.Select(d => d.Sequence));
        Assert.Equal(kept.Count, (await listener.ReceiveAsync(0, TimeSpan.Zero, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha512")]
    public async Task Other_signature_methods_are_accepted_only_when_allowed(string algorithm)
    {
        using var listener = JiraWebhookListener.Start(new JiraWebhookListenerOptions
        {
            Token = Secure(ListenerHardeningTests.Token),
            Secret = Secure(ListenerHardeningTests.Secret),
            AllowedSignatureAlgorithms = [algorithm],
        });
        const string body = "{\"a\":1}";
        var (allowed, _) = await ListenerHardeningTests.ExchangeAsync(listener.Port, Post(body, ListenerHardeningTests.Sign(algorithm, ListenerHardeningTests.Secret, body)));
        string other = algorithm == "sha1" ? "sha512" : "sha1";
        var (refused, _) = await ListenerHardeningTests.ExchangeAsync(listener.Port, Post(body, ListenerHardeningTests.Sign(other, ListenerHardeningTests.Secret, body)));

        Assert.StartsWith("HTTP/1.1 200", allowed);
        Assert.StartsWith("HTTP/1.1 401", refused);
        Assert.Equal(["sha256", algorithm], listener.SignatureAlgorithms);
        Assert.Throws<ArgumentException>(() => JiraWebhookListener.Start(new JiraWebhookListenerOptions { AllowedSignatureAlgorithms = ["md5"] }));
    }
}

#nullable enable
using System;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Webhooks;
using JiraConnect.Http.Wire;
using Xunit;

namespace JiraConnect.Tests.Webhooks;

/// <summary>
/// Fuzz tests of everything that reads untrusted input: webhook bodies (JSON and form), issue input, and the
/// HTTP/1.1 reader of the listener and the sender. No input crashes them; the only exceptions are the documented ones.
/// </summary>
public sealed class PayloadParsingFuzzTests
{
    private static readonly byte[] ValidBody = Encoding.UTF8.GetBytes(
        JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.SystemWebhook }).Body);

    [Fact]
    public void Json_bodies_random_and_mutated_never_throw_and_agree_with_a_strict_parser()
    {
        var random = new Random(1234);
        int parsed = 0;
        for (int i = 0; i < 4_000; i++)
        {
            byte[] body = i % 2 == 0 ? RandomBytes(random, 200) : Mutate(random, ValidBody);
            object? content = null;
            var error = Record.Exception(() => content = WebhookContent.TryParseJson(body));
            Assert.Null(error);
            bool strict = IsStrictJson(body);
            if (content != null)
            {
                parsed++;
                Assert.True(strict, "TryParseJson accepted what JsonDocument rejects");
            }
        }

        Assert.True(parsed > 100, $"only {parsed} mutated bodies were still JSON; the fuzzer is too destructive");
    }

    [Fact]
    public void Form_bodies_never_throw()
    {
        var random = new Random(5678);
        string[] pieces = ["a", "=", "&", "%", "%2", "%zz", "%41", "+", "%F0%9F%98%80", "%C3", "ü", "\0", "==", "&&"];
        for (int i = 0; i < 4_000; i++)
        {
            byte[] body = i % 2 == 0
                ? RandomBytes(random, 120)
                : Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(0, 20)).Select(_ => pieces[random.Next(pieces.Length)])));
            OrderedDictionary? fields = null;
            Assert.Null(Record.Exception(() => fields = WebhookContent.ParseForm(body)));
            Assert.NotNull(fields);
        }
    }

    [Fact]
    public void Issue_input_is_read_or_refused_with_InvalidIssueInput()
    {
        var random = new Random(91);
        var valid = Encoding.UTF8.GetBytes(JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.JiraIssue }).Body);
        int read = 0;
        for (int i = 0; i < 3_000; i++)
        {
            var text = Encoding.UTF8.GetString(i % 3 == 0 ? RandomBytes(random, 80) : Mutate(random, valid));
            try
            {
                var issue = JiraWebhookPayloadBuilder.ReadIssue(text);
                Assert.IsType<string>(issue["key"]);
                read++;
            }
            catch (JiraException e)
            {
                Assert.Equal(JiraErrorId.InvalidIssueInput, e.ErrorId);
            }
        }

        Assert.True(read > 50, $"only {read} inputs were readable issues");
    }

    [Fact]
    public void Deeply_nested_issue_input_is_refused_not_crashed()
    {
        var deep = new OrderedDictionary { ["key"] = "IT-1" };
        var current = deep;
        for (int i = 0; i < 200; i++)
        {
            var next = new OrderedDictionary();
            current["child"] = next;
            current = next;
        }

        var error = Assert.Throws<JiraException>(() => JiraWebhookPayloadBuilder.ReadIssue(deep));
        Assert.Equal(JiraErrorId.InvalidIssueInput, error.ErrorId);
    }

    [Fact]
    public async Task Http_messages_random_and_mutated_are_read_or_refused_with_HttpMessageException()
    {
        var random = new Random(4242);
        var request = Encoding.ASCII.GetBytes(
            "POST /hooks/jira?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
        var plain = Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\nHello World!");
        int heads = 0;
        for (int i = 0; i < 4_000; i++)
        {
            byte[] input = (i % 3) switch { 0 => RandomBytes(random, 300), 1 => Mutate(random, request), _ => Mutate(random, plain) };
            var reader = new HttpMessageReader(new MemoryStream(input));
            try
            {
                var head = await reader.ReadHeadAsync(4096, CancellationToken.None);
                if (head is null) continue;
                heads++;
                var body = await reader.ReadBodyAsync(head, untilClose: i % 2 == 0, keepBytes: 64, maxBytes: 1024, CancellationToken.None);
                Assert.True(body.Kept.Length <= 64 && body.Length <= 1024);
            }
            catch (HttpMessageException e)
            {
                Assert.Contains(e.StatusCode, new[] { 400, 413, 431 });
            }
        }

        Assert.True(heads > 500, $"only {heads} heads were read");
    }

    [Fact]
    public async Task Chunked_and_pipelined_messages_are_read_exactly()
    {
        var input = Encoding.ASCII.GetBytes(
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
            + "POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        var reader = new HttpMessageReader(new MemoryStream(input));

        var first = await reader.ReadHeadAsync(4096, CancellationToken.None);
        var firstBody = await reader.ReadBodyAsync(first!, false, 100, 100, CancellationToken.None);
        var second = await reader.ReadHeadAsync(4096, CancellationToken.None);
        var secondBody = await reader.ReadBodyAsync(second!, false, 100, 100, CancellationToken.None);

        Assert.Equal("POST /a HTTP/1.1", first!.StartLine);
        Assert.Equal("hello world", Encoding.ASCII.GetString(firstBody.Kept));
        Assert.Equal("POST /b HTTP/1.1", second!.StartLine);
        Assert.Equal("abc", Encoding.ASCII.GetString(secondBody.Kept));
        Assert.Null(await reader.ReadHeadAsync(4096, CancellationToken.None));
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n", 413)]
    [InlineData("POST / HTTP/1.1\r\n folded: x\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n", 400)]
    public async Task Malformed_messages_get_the_status_a_server_answers(string message, int status)
    {
        var reader = new HttpMessageReader(new MemoryStream(Encoding.ASCII.GetBytes(message)));
        var error = await Assert.ThrowsAsync<HttpMessageException>(async () =>
        {
            var head = await reader.ReadHeadAsync(4096, CancellationToken.None);
            await reader.ReadBodyAsync(head!, false, 1024, 1024, CancellationToken.None);
        });
        Assert.Equal(status, error.StatusCode);
    }

    private static bool IsStrictJson(byte[] body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal static byte[] RandomBytes(Random random, int maxLength)
    {
        var bytes = new byte[random.Next(0, maxLength)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A few random byte flips, deletions, duplications or insertions of structural characters.</summary>
    internal static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = source.ToList();
        byte[] structural = "{}[]\":,\\\r\n0-.eE tfn;=%&"u8.ToArray();
        for (int m = 0, count = random.Next(1, 4); m < count && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, structural[random.Next(structural.Length)]); break;
                default: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 20))); break;
            }
        }

        return bytes.ToArray();
    }
}

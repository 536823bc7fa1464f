#nullable enable
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using JiraConnect.Http.Wire;
using JiraConnect.OAuth;
using JiraConnect.Webhooks;
using Xunit;

namespace JiraConnect.Tests.Engine;

/// <summary>The HTTP pieces the OAuth redirect receiver and the webhook listener and sender share.</summary>
public sealed class WireTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("a b+c&d=e%f")]
    [InlineData("Zoë 😀 ~-._")]
    public void Form_text_written_by_the_codec_reads_back_the_same(string text)
    {
        string encoded = FormCodec.Encode(text, form: true);
        Assert.DoesNotContain(' ', encoded);
        var pair = Assert.Single(FormCodec.Parse(encoded + "=" + encoded));
        Assert.Equal(text, pair.Key);
        Assert.Equal(text, pair.Value);
    }

    [Fact]
    public void Queries_and_form_bodies_decode_alike()
    {
        const string text = "state=a%2Bb+c&code=%zz&state=second&empty";
        var query = OAuthRedirect.ParseQuery("?" + text);
        var form = WebhookContent.ParseForm(Encoding.UTF8.GetBytes(text));
        Assert.Equal("a+b c", query["state"]);
        Assert.Equal("%zz", query["code"]);
        Assert.Equal("", query["empty"]);
        Assert.Equal(new object[] { "a+b c", "second" }, (object[])form["state"]!);
        Assert.Equal(query["code"], form["code"]);
        Assert.Equal("\uFFFD", FormCodec.Decode("%E9"));
    }

    [Theory]
    [InlineData("POST /hooks/jira?x=1 HTTP/1.1", "POST", "/hooks/jira", "x=1", "HTTP/1.1")]
    [InlineData("GET http://127.0.0.1:8765/callback?code=c HTTP/1.1", "GET", "/callback", "code=c", "HTTP/1.1")]
    [InlineData("GET ?q HTTP/1.0", "GET", "/", "q", "HTTP/1.0")]
    public void Request_lines_split_into_method_path_query_and_version(string text, string method, string path, string query, string version)
    {
        var line = HttpRequestLine.TryParse(text);
        Assert.NotNull(line);
        Assert.Equal((method, path, query, version), (line!.Method, line.Path, line.Query, line.Version));
    }

    [Theory]
    [InlineData("GET /")]
    [InlineData("GET / HTTP/2")]
    [InlineData("G(T / HTTP/1.1")]
    [InlineData("GET  / HTTP/1.1")]
    public void Malformed_request_lines_are_not_read(string text) => Assert.Null(HttpRequestLine.TryParse(text));

    [Fact]
    public void Secrets_compare_equal_only_when_equal()
    {
        Assert.True(ConstantTime.AreEqual("state-123", "state-123"));
        Assert.False(ConstantTime.AreEqual("state-123", "state-124"));
        Assert.False(ConstantTime.AreEqual("state-123", "state-12"));
        Assert.False(ConstantTime.AreEqual("state", null!));
        Assert.True(ConstantTime.AreEqual(new byte[] { 1, 2 }, new byte[] { 1, 2 }));
        Assert.False(ConstantTime.AreEqual(new byte[] { 1, 2 }, new byte[] { 1, 2, 0 }));
    }

    [Fact]
    public async Task A_written_answer_reads_back_as_one_complete_message()
    {
        var stream = new MemoryStream();
        byte[] body = Encoding.UTF8.GetBytes("{\"message\":\"Zoë\"}");
        await HttpResponseWriter.WriteAsync(stream, 401, "application/json; charset=utf-8", body, true, "WWW-Authenticate: Bearer", null!);

        stream.Position = 0;
        var reader = new HttpMessageReader(stream);
        var head = await reader.ReadHeadAsync(HttpMessageReader.DefaultMaxHeadBytes, default);
        Assert.NotNull(head);
        Assert.Equal(401, head!.ReadStatus(out string reason));
        Assert.Equal("Unauthorized", reason);
        Assert.Equal("no-store", head.Get("Cache-Control"));
        Assert.Equal("Bearer", head.Get("WWW-Authenticate"));
        Assert.True(head.WantsClose("HTTP/1.1"));
        var read = await reader.ReadBodyAsync(head, false, 1024, 1024, default);
        Assert.Equal(body, read.Kept);
        Assert.False(await reader.WaitForDataAsync(default));
    }

    [Fact]
    public void Listener_problems_are_valid_json_whatever_the_message()
    {
        string escaped = JiraConnect.Json.JsonText.Escape("quote \" backslash \\ line\n tab\t bell\u0007 é");
        string parsed = System.Text.Json.JsonSerializer.Deserialize<string>("\"" + escaped + "\"")!;
        Assert.Equal("quote \" backslash \\ line\n tab\t bell\u0007 é", parsed);
        Assert.DoesNotContain(escaped, c => c < 0x20);
    }
}

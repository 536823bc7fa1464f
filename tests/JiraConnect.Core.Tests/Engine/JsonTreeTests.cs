using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Text.Json.Nodes;
using JiraConnect.Json;
using JiraConnect.Webhooks;
using Xunit;

namespace JiraConnect.Core.Tests.Engine
{
    public class JsonTreeTests
    {
        private const string Nested =
            "{\"key\":\"DEV\",\"id\":10000,\"big\":9007199254740993,\"ratio\":0.1,\"huge\":1.5E+300,\"neg\":-42,"
            + "\"flags\":{\"archived\":false,\"simplified\":true,\"deleted\":null},"
            + "\"lead\":{\"displayName\":\"Ada \\\"A\\\" Admin\",\"avatarUrls\":{\"48x48\":\"https://x/a.png\"}},"
            + "\"components\":[],\"labels\":[\"vpn\",\"h\\u00e9llo \\u2603\"],"
            + "\"matrix\":[[1,2],[3,[4,{\"deep\":[null,true]}]]],\"empty\":{}}";

        [Fact]
        public void ParsesToPlainBclValues()
        {
            var root = Assert.IsType<OrderedDictionary>(JsonTree.Parse(Nested));

            Assert.Equal("DEV", root["key"]);
            Assert.Equal(10000L, root["id"]);
            Assert.Equal(9007199254740993L, root["big"]);
            Assert.Equal(0.1m, root["ratio"]);
            Assert.Equal(-42L, root["neg"]);
            Assert.IsType<double>(root["huge"]);
            Assert.Equal(1.5E+300, (double)root["huge"]);

            var flags = Assert.IsType<OrderedDictionary>(root["flags"]);
            Assert.Equal(false, flags["archived"]);
            Assert.Equal(true, flags["simplified"]);
            Assert.True(flags.Contains("deleted"));
            Assert.Null(flags["deleted"]);

            var lead = Assert.IsType<OrderedDictionary>(root["lead"]);
            Assert.Equal("Ada \"A\" Admin", lead["displayName"]);

            Assert.Empty(Assert.IsType<object[]>(root["components"]));
            Assert.Equal(new object[] { "vpn", "h\u00e9llo \u2603" }, Assert.IsType<object[]>(root["labels"]));

            var matrix = Assert.IsType<object[]>(root["matrix"]);
            var inner = Assert.IsType<object[]>(Assert.IsType<object[]>(matrix[1])[1]);
            Assert.Equal(4L, inner[0]);
            var deep = Assert.IsType<object[]>(Assert.IsType<OrderedDictionary>(inner[1])["deep"]);
            Assert.Null(deep[0]);
            Assert.Equal(true, deep[1]);
            Assert.Empty(Assert.IsType<OrderedDictionary>(root["empty"]));
        }

        [Fact]
        public void KeepsPropertyOrderAndLooksUpKeysCaseInsensitively()
        {
            var root = Assert.IsType<OrderedDictionary>(JsonTree.Parse("{\"zeta\":1,\"alpha\":2,\"Mid\":3}"));
            var keys = new List<object>();
            foreach (DictionaryEntry e in root) keys.Add(e.Key);
            Assert.Equal(new object[] { "zeta", "alpha", "Mid" }, keys);
            Assert.Equal(3L, root["mid"]);
            Assert.Equal(2L, root["ALPHA"]);
        }

        [Fact]
        public void RoundTripsNestedDocuments()
        {
            string serialized = JsonTree.Serialize(JsonTree.Parse(Nested));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Nested), JsonNode.Parse(serialized)),
                "round trip changed the document: " + serialized);

            // A second pass is stable.
            Assert.Equal(serialized, JsonTree.Serialize(JsonTree.Parse(serialized)));
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("[1,\"a\",null,true,false,2.5]")]
        [InlineData("\"just a string\"")]
        [InlineData("123")]
        [InlineData("true")]
        [InlineData("null")]
        public void RoundTripsTopLevelValues(string json)
        {
            Assert.Equal(json, JsonTree.Serialize(JsonTree.Parse(json)));
        }

        [Fact]
        public void ParsesEmptyInputAsNull()
        {
            Assert.Null(JsonTree.Parse(Array.Empty<byte>()));
            Assert.Null(JsonTree.Parse((byte[])null));
            Assert.Null(JsonTree.Parse((string)null));
        }

        [Fact]
        public void RejectsMalformedJson()
        {
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonTree.Parse("{\"values\":[1,2"));
        }

        [Fact]
        public void SerializesDictionariesAndLists()
        {
            var body = new OrderedDictionary
            {
                ["user"] = new List<string> { "5b10a2844c20165700ede21g" },
                ["count"] = 3,
                ["ratio"] = 0.5,
                ["price"] = 12.25m,
                ["enabled"] = true,
                ["nothing"] = null,
                ["nested"] = new Dictionary<string, object> { ["ids"] = new[] { 1, 2, 3 }, ["when"] = new DateTime(2024, 1, 8, 9, 0, 0, DateTimeKind.Utc) },
                ["hash"] = new Hashtable { ["only"] = "one" },
                ["chars"] = new ArrayList { 'x', (byte)7, 8L },
            };

            Assert.Equal(
                "{\"user\":[\"5b10a2844c20165700ede21g\"],\"count\":3,\"ratio\":0.5,\"price\":12.25,\"enabled\":true,\"nothing\":null,"
                + "\"nested\":{\"ids\":[1,2,3],\"when\":\"2024-01-08T09:00:00.0000000Z\"},\"hash\":{\"only\":\"one\"},\"chars\":[\"x\",7,8]}",
                JsonTree.Serialize(body));
        }

        [Fact]
        public void SerializesStringsWithoutBreakingThem()
        {
            var body = new Dictionary<string, object> { ["summary"] = "Quote \" backslash \\ newline \n snow \u2603 <tag>" };
            string json = JsonTree.Serialize(body);
            var back = Assert.IsType<OrderedDictionary>(JsonTree.Parse(json));
            Assert.Equal("Quote \" backslash \\ newline \n snow \u2603 <tag>", back["summary"]);
        }

        [Fact]
        public void RefusesBodiesNestedDeeperThan64Levels()
        {
            object value = "leaf";
            for (int i = 0; i < 70; i++) value = new List<object> { value };
            Assert.Throws<ArgumentException>(() => JsonTree.Serialize(value));

            object shallow = "leaf";
            for (int i = 0; i < 10; i++) shallow = new List<object> { shallow };
            Assert.Equal("[[[[[[[[[[\"leaf\"]]]]]]]]]]", JsonTree.Serialize(shallow));
        }

        [Fact]
        public void OneConverterKeepsTheShapeAndRefusesValuesNestedDeeperThanTheLimit()
        {
            var converter = new PlainValueConverter();
            var plain = Assert.IsType<OrderedDictionary>(converter.Convert(new Hashtable { ["list"] = new List<object> { 1, "a", new Dictionary<int, bool> { [7] = true } } }));
            var list = Assert.IsType<object[]>(plain["list"]);
            Assert.Equal(true, Assert.IsType<OrderedDictionary>(list[2])["7"]);

            object value = "leaf";
            for (int i = 0; i < PlainValueConverter.MaxDepth; i++) value = new List<object> { value };
            Assert.NotNull(converter.Convert(value));
            var error = Assert.Throws<ArgumentException>(() => converter.Convert(new List<object> { value }));
            Assert.Equal($"The body nests deeper than {PlainValueConverter.MaxDepth} levels.", error.Message);
        }

        [Theory]
        [InlineData(JiraWebhookBodyFormat.AutomationIssue)]
        [InlineData(JiraWebhookBodyFormat.JiraIssue)]
        [InlineData(JiraWebhookBodyFormat.ServiceManagement)]
        [InlineData(JiraWebhookBodyFormat.SystemWebhook)]
        public void AnIssueAtTheWebhookLimitStillFitsInEveryPayload(JiraWebhookBodyFormat format)
        {
            var issue = new OrderedDictionary { ["key"] = "IT-1" };
            var current = issue;
            for (int i = 0; i < WebhookTree.MaxDepth; i++)
            {
                var next = new OrderedDictionary();
                current["child"] = next;
                current = next;
            }

            var payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest
            {
                Format = format,
                Issue = JiraWebhookPayloadBuilder.ReadIssue(issue),
            });
            Assert.Contains("\"IT-1\"", payload.Body);
            Assert.Throws<JiraException>(() => JiraWebhookPayloadBuilder.ReadIssue(new OrderedDictionary { ["key"] = "IT-2", ["child"] = issue }));
        }
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>The validator itself: it must reject wrong shapes and say where, or the contract tests prove nothing.</summary>
public sealed class SchemaValidatorTests
{
    private const string MiniDocument = """
        {
          "components": { "schemas": {
            "Thing": {
              "type": "object", "additionalProperties": false, "required": ["id"],
              "properties": {
                "id": { "type": "integer", "format": "int32" },
                "name": { "type": "string", "maxLength": 5, "nullable": true },
                "kind": { "type": "string", "enum": ["a", "b"] },
                "when": { "type": "string", "format": "date-time" },
                "link": { "type": "string", "format": "uri" },
                "secret": { "type": "string", "writeOnly": true },
                "tags": { "type": "array", "items": { "type": "string" }, "uniqueItems": true },
                "extra": { "type": "object", "additionalProperties": { "type": "boolean" } },
                "child": { "allOf": [ { "$ref": "#/components/schemas/Thing" } ] }
              }
            },
            "Either": { "oneOf": [ { "type": "string" }, { "type": "integer" } ] },
            "Any": { "anyOf": [ { "type": "string", "minLength": 3 }, { "type": "boolean" } ] }
          } }
        }
        """;

    private static readonly JsonDocument Mini = JsonDocument.Parse(MiniDocument);
    private static readonly SchemaValidator Validator = new(Mini.RootElement);

    [Fact]
    public void A_conforming_value_has_no_errors()
    {
        var errors = Validate("Thing", """
            {"id":1,"name":null,"kind":"a","when":"2024-01-08T09:00:00.000+0000","link":"https://example.com/x",
             "tags":["x","y"],"extra":{"k":true},"child":{"id":2,"when":"2024-01-08T09:00:00Z"}}
            """);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("""{"name":"x"}""", "$.id: required property is missing")]
    [InlineData("""{"id":"1"}""", "$.id: expected integer but found the string \"1\"")]
    [InlineData("""{"id":1.5}""", "$.id: expected integer but found the number 1.5")]
    [InlineData("""{"id":3000000000}""", "$.id: 3000000000 does not fit int32")]
    [InlineData("""{"id":1,"name":"toolong"}""", "$.name: length 7 exceeds maxLength 5")]
    [InlineData("""{"id":1,"kind":"c"}""", "$.kind: \"c\" is not one of [\"a\", \"b\"]")]
    [InlineData("""{"id":1,"when":"yesterday"}""", "$.when: \"yesterday\" is not a valid date-time")]
    [InlineData("""{"id":1,"link":"not a uri"}""", "$.link: \"not a uri\" is not a valid uri")]
    [InlineData("""{"id":1,"secret":"s"}""", "$.secret: the property is writeOnly and must not appear in a response")]
    [InlineData("""{"id":1,"tags":["x",2]}""", "$.tags[1]: expected string but found the number 2")]
    [InlineData("""{"id":1,"tags":["x","x"]}""", "$.tags[1]: duplicate item, but uniqueItems is true")]
    [InlineData("""{"id":1,"extra":{"16x16":"yes"}}""", "$.extra['16x16']: expected boolean but found the string \"yes\"")]
    [InlineData("""{"id":1,"surprise":true}""", "$.surprise: property is not defined by the schema (additionalProperties is false)")]
    [InlineData("""{"id":1,"child":{"id":null}}""", "$.child.id: null is not allowed (the schema is not nullable)")]
    [InlineData("""[]""", "$: expected object but found an array")]
    public void A_wrong_shape_is_reported_at_its_path(string json, string expected)
    {
        var errors = Validate("Thing", json);

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void OneOf_and_anyOf_are_enforced()
    {
        Assert.Empty(Validate("Either", "\"s\""));
        Assert.Empty(Validate("Either", "3"));
        Assert.Contains(Validate("Either", "true"), e => e.StartsWith("$: matches none of the oneOf schemas", StringComparison.Ordinal));
        Assert.Empty(Validate("Any", "\"long\""));
        Assert.Empty(Validate("Any", "false"));
        Assert.Contains(Validate("Any", "\"ab\""), e => e.StartsWith("$: matches none of the anyOf schemas", StringComparison.Ordinal));
    }

    [Fact]
    public void Real_cloud_schemas_reject_a_wrong_project_page()
    {
        var cloud = ReferenceDocuments.Cloud;
        var schema = cloud.FindOperation("GET", "/rest/api/3/project/search")!.JsonSchema(200)!.Value;
        using var wrong = JsonDocument.Parse("""
            {"self":"http://127.0.0.1/x","maxResults":"50","startAt":0,"total":1,"isLast":true,
             "values":[{"id":10000,"key":"DEV","name":"Development","projectTypeKey":"software","colour":"red",
                        "avatarUrls":{"48x48":"not a uri"},"style":"modern"}]}
            """);

        var errors = cloud.Validator.Validate(schema, wrong.RootElement);

        Assert.Contains("$.maxResults: expected integer but found the string \"50\"", errors);
        Assert.Contains("$.values[0].id: expected string but found the number 10000", errors);
        Assert.Contains("$.values[0].colour: property is not defined by the schema (additionalProperties is false)", errors);
        Assert.Contains("$.values[0].avatarUrls['48x48']: \"not a uri\" is not a valid uri", errors);
        Assert.Contains(errors, e => e.StartsWith("$.values[0].style: \"modern\" is not one of", StringComparison.Ordinal));
    }

    [Fact]
    public void Real_cloud_schemas_accept_a_minimal_project_page()
    {
        var cloud = ReferenceDocuments.Cloud;
        var schema = cloud.FindOperation("GET", "/rest/api/3/project/search")!.JsonSchema(200)!.Value;
        using var page = JsonDocument.Parse("""
            {"self":"http://127.0.0.1/x","maxResults":50,"startAt":0,"total":1,"isLast":true,
             "values":[{"id":"10000","key":"DEV","name":"Development","projectTypeKey":"software","style":"classic"}]}
            """);

        Assert.Empty(cloud.Validator.Validate(schema, page.RootElement));
    }

    [Fact]
    public void Operation_lookup_prefers_literal_segments_and_knows_the_data_center_prefix()
    {
        Assert.Equal("/rest/api/3/project/search", ReferenceDocuments.Cloud.FindOperation("GET", "/rest/api/3/project/search")!.Template);
        Assert.Equal("/rest/api/3/project/{projectIdOrKey}", ReferenceDocuments.Cloud.FindOperation("GET", "/rest/api/3/project/DEV")!.Template);
        Assert.Equal("/api/2/project/{projectIdOrKey}", ReferenceDocuments.DataCenter.FindOperation("GET", "/rest/api/2/project/search")!.Template);
        Assert.Null(ReferenceDocuments.DataCenter.FindOperation("GET", "/rest/api/3/project"));
        Assert.Null(ReferenceDocuments.Cloud.FindOperation("GET", "/rest/api/3/no/such/thing"));
    }

    [Fact]
    public void Data_center_bare_objects_accept_any_value_but_typed_members_still_count()
    {
        var dc = ReferenceDocuments.DataCenter;
        var issue = dc.Schema("IssueBean");
        using var good = JsonDocument.Parse("""{"id":"1","key":"DEV-1","fields":{"summary":"text","labels":[],"assignee":null}}""");
        using var bad = JsonDocument.Parse("""{"id":1,"key":"DEV-1","fields":{}}""");

        Assert.Empty(dc.Validator.Validate(issue, good.RootElement));
        Assert.Contains("$.id: expected string but found the number 1", dc.Validator.Validate(issue, bad.RootElement));
    }

    private static IReadOnlyList<string> Validate(string schemaName, string json)
    {
        using var instance = JsonDocument.Parse(json);
        return Validator.Validate(Validator.Resolve($"#/components/schemas/{schemaName}"), instance.RootElement.Clone());
    }
}

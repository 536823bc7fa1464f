#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace JiraConnect.Tests.Contract;

/// <summary>Checks a response against the operation of an OpenAPI document that serves its path.</summary>
public static class OpenApiContract
{
    /// <summary>
    /// Where a document says something other than what Jira sends. Each entry is the schema to use instead.
    /// Data Center's GET /api/2/project declares a single ProjectBean, but the resource returns a list of them
    /// ("Returns all projects which are visible for the currently logged in user"); likewise
    /// GET /api/2/user/permission/search ("Returns a list of users").
    /// </summary>
    private static readonly Dictionary<(string Title, string Operation, int Status), string> Corrections = new()
    {
        [("Jira Software Data Center REST API Reference", "GET /api/2/project", 200)] = """{"type":"array","items":{"$ref":"#/components/schemas/ProjectBean"}}""",
        [("Jira Software Data Center REST API Reference", "GET /api/2/user/permission/search", 200)] = """{"type":"array","items":{"$ref":"#/components/schemas/UserBean"}}""",
    };

    /// <summary>Error bodies are Jira's ErrorCollection where the document gives no schema for the status.</summary>
    private const string ErrorSchemaName = "ErrorCollection";

    /// <summary>Validates and returns the mismatches (empty when the response conforms).</summary>
    public static IReadOnlyList<string> Check(OpenApiDocument document, ApiResponse response)
    {
        // Cloud serves /rest/api/2 with the shapes of /rest/api/3 for the resources the emulator offers.
        var path = response.Path.StartsWith("/rest/api/2/", StringComparison.Ordinal) && document == ReferenceDocuments.Cloud
            ? "/rest/api/3/" + response.Path["/rest/api/2/".Length..]
            : response.Path;
        var operation = document.FindOperation(response.Method, path);
        if (operation is null)
        {
            return [$"{document.Title} has no operation for {response.Method} {path}"];
        }

        var schema = Correction(document, operation, response.Status) ?? operation.JsonSchema(response.Status);
        if (schema is null && response.Status >= 400)
        {
            schema = document.Schema(ErrorSchemaName);
        }

        if (schema is null)
        {
            return [$"{operation} documents no JSON body for status {response.Status}"];
        }

        if (response.MediaType != "application/json")
        {
            return [$"{operation} {response.Status}: expected application/json, got {response.MediaType}"];
        }

        JsonElement body;
        try
        {
            body = response.Json;
        }
        catch (JsonException ex)
        {
            return [$"{operation} {response.Status}: the body is not JSON: {ex.Message}"];
        }

        return document.Validator.Validate(schema.Value, body);
    }

    public static void AssertConforms(OpenApiDocument document, ApiResponse response)
    {
        var errors = Check(document, response);
        if (errors.Count > 0)
        {
            throw new XunitException(
                $"{response.Method} {response.Path} ({response.Status}) does not conform to {document.Title}:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", errors.Take(25)));
        }
    }

    private static JsonElement? Correction(OpenApiDocument document, OpenApiOperation operation, int status)
    {
        var title = document.Root.GetProperty("info").GetProperty("title").GetString()!;
        return Corrections.TryGetValue((title, operation.ToString(), status), out var json)
            ? JsonDocument.Parse(json).RootElement
            : null;
    }
}

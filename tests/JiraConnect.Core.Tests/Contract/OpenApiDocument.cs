#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Tests.Contract;

/// <summary>An OpenAPI 3.0 document: operation lookup by method and request path, and response schemas.</summary>
public sealed class OpenApiDocument
{
    private readonly JsonDocument _document;
    private readonly string _serverPathPrefix;
    private readonly List<(string Template, string[] Segments, JsonElement PathItem)> _paths;

    /// <param name="document">The parsed document (owned by this instance).</param>
    /// <param name="serverPathPrefix">The path of the server URL that prefixes every path, e.g. "/rest"; empty when none.</param>
    /// <param name="bareObjectMeansAnyValue">See <see cref="SchemaValidator"/>.</param>
    public OpenApiDocument(JsonDocument document, string serverPathPrefix, bool bareObjectMeansAnyValue = false)
    {
        _document = document;
        _serverPathPrefix = serverPathPrefix;
        Validator = new SchemaValidator(Root, bareObjectMeansAnyValue);
        _paths = Root.GetProperty("paths").EnumerateObject()
            .Select(p => (p.Name, p.Name.Split('/', StringSplitOptions.RemoveEmptyEntries), p.Value))
            .ToList();
    }

    public JsonElement Root => _document.RootElement;

    public SchemaValidator Validator { get; }

    /// <summary>The document's title and version, for messages.</summary>
    public string Title => $"{Root.GetProperty("info").GetProperty("title").GetString()} {Root.GetProperty("info").GetProperty("version").GetString()}";

    public JsonElement Schema(string name) => Root.GetProperty("components").GetProperty("schemas").GetProperty(name);

    /// <summary>
    /// Finds the operation serving <paramref name="requestPath"/> (without query). Literal segments win over
    /// templated ones, as in /project/search versus /project/{projectIdOrKey}.
    /// </summary>
    public OpenApiOperation? FindOperation(string method, string requestPath)
    {
        if (!requestPath.StartsWith(_serverPathPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var segments = requestPath[_serverPathPrefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var best = _paths
            .Where(p => p.Segments.Length == segments.Length && p.Segments.Zip(segments).All(s => IsParameter(s.First) || s.First == s.Second))
            .Where(p => p.PathItem.TryGetProperty(method.ToLowerInvariant(), out _))
            .OrderByDescending(p => p.Segments.Count(s => !IsParameter(s)))
            .Select(p => (p.Template, Operation: p.PathItem.GetProperty(method.ToLowerInvariant())))
            .FirstOrDefault();
        return best.Template is null ? null : new OpenApiOperation(method.ToUpperInvariant(), best.Template, best.Operation);
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');
}

/// <summary>One operation of a document.</summary>
public sealed record OpenApiOperation(string Method, string Template, JsonElement Node)
{
    public bool DocumentsStatus(int status) => Response(status) is not null;

    /// <summary>The response object for a status: exact code, then the range (4XX), then default.</summary>
    public JsonElement? Response(int status)
    {
        var responses = Node.GetProperty("responses");
        foreach (var key in new[] { status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{status / 100}XX", "default" })
        {
            if (responses.TryGetProperty(key, out var response))
            {
                return response;
            }
        }

        return null;
    }

    /// <summary>The application/json schema of the response for a status, if the document gives one.</summary>
    public JsonElement? JsonSchema(int status) =>
        Response(status) is { } response
        && response.TryGetProperty("content", out var content)
        && content.EnumerateObject().FirstOrDefault(c => c.Name.StartsWith("application/json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } json
        && json.Value.TryGetProperty("schema", out var schema)
            ? schema
            : null;

    public override string ToString() => $"{Method} {Template}";
}

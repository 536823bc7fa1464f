#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace JiraConnect.Tests.Contract;

/// <summary>
/// The trimmed OpenAPI documents in Contract/OpenApi hold exactly the operations of Operations.txt, every $ref in them
/// resolves, and their info names the Atlassian document they were cut from.
/// </summary>
public sealed class TrimmedDocumentTests
{
    public static TheoryData<string> Sections => new() { "cloud", "datacenter" };

    [Theory]
    [MemberData(nameof(Sections))]
    public void The_document_holds_exactly_the_listed_operations(string section)
    {
        var document = Document(section);
        var listed = ListedLines(section).Where(l => !l.StartsWith("schema ", StringComparison.Ordinal)).OrderBy(l => l, StringComparer.Ordinal).ToList();
        var present = document.Root.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .OrderBy(l => l, StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(listed);
        Assert.Equal(listed, present);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_reference_resolves_and_every_listed_schema_is_present(string section)
    {
        var document = Document(section);
        var references = new List<string>();
        Collect(document.Root, references);
        var schemas = document.Root.GetProperty("components").GetProperty("schemas");
        var listedSchemas = ListedLines(section).Where(l => l.StartsWith("schema ", StringComparison.Ordinal)).Select(l => l["schema ".Length..]);

        Assert.NotEmpty(references);
        Assert.All(references.Distinct(), r => Assert.True(
            r.StartsWith("#/components/schemas/", StringComparison.Ordinal) && schemas.TryGetProperty(r["#/components/schemas/".Length..], out _),
            $"{r} does not resolve in {document.Title}"));
        Assert.All(listedSchemas, s => Assert.True(schemas.TryGetProperty(s, out _), $"{document.Title} lacks the listed schema {s}"));
    }

    [Fact]
    public void Info_names_the_source_documents()
    {
        Assert.Equal("The Jira Cloud platform REST API", ReferenceDocuments.Cloud.Root.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("Jira Software Data Center REST API Reference", ReferenceDocuments.DataCenter.Root.GetProperty("info").GetProperty("title").GetString());
        Assert.StartsWith("Jira Software Data Center REST API Reference 10.3.", ReferenceDocuments.DataCenter.Title, StringComparison.Ordinal);
    }

    private static readonly HashSet<string> Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static OpenApiDocument Document(string section) => section == "cloud" ? ReferenceDocuments.Cloud : ReferenceDocuments.DataCenter;

    private static IEnumerable<string> ListedLines(string section)
    {
        string? current = null;
        foreach (var raw in File.ReadLines(Path.Combine(ReferenceDocuments.Folder, "Operations.txt")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = line[1..^1];
            }
            else if (current == section)
            {
                yield return line;
            }
        }
    }

    private static void Collect(JsonElement element, List<string> references)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("$ref") && property.Value.ValueKind == JsonValueKind.String)
                {
                    references.Add(property.Value.GetString()!);
                }
                else
                {
                    Collect(property.Value, references);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, references);
            }
        }
    }
}

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

/// <summary>
/// The Atlassian OpenAPI documents the contract is checked against: the trimmed copies in Contract/OpenApi (the
/// operations in Operations.txt and every component they reference), copied to the test output. Update-OpenApiContract.ps1
/// in that folder writes them from Atlassian's full documents.
/// </summary>
public static class ReferenceDocuments
{
    public const string CloudFileName = "cloud.openapi.json";
    public const string DataCenterFileName = "datacenter.openapi.json";

    private static readonly Lazy<OpenApiDocument> CloudDocument = new(() =>
        new OpenApiDocument(Parse(CloudFileName), serverPathPrefix: string.Empty));

    // The Data Center document writes paths without the /rest of its server URL (http://{baseurl}/rest),
    // and writes java.lang.Object values (such as issue fields) as a bare {"type":"object"}.
    private static readonly Lazy<OpenApiDocument> DataCenterDocument = new(() =>
        new OpenApiDocument(Parse(DataCenterFileName), serverPathPrefix: "/rest", bareObjectMeansAnyValue: true));

    public static OpenApiDocument Cloud => CloudDocument.Value;

    public static OpenApiDocument DataCenter => DataCenterDocument.Value;

    /// <summary>The folder of the trimmed documents and Operations.txt in the test output.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Contract", "OpenApi");

    private static JsonDocument Parse(string fileName)
    {
        using var stream = File.OpenRead(Path.Combine(Folder, fileName));
        return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
    }
}

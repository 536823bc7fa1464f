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
/// The Atlassian OpenAPI documents in shared/reference, found by walking up from the test's base directory
/// to the first ancestor that has a <c>shared/reference</c> folder. They are never copied into the repository.
/// </summary>
public static class ReferenceDocuments
{
    public const string CloudFileName = "jira-cloud-platform-v3.openapi.json";
    public const string DataCenterFileName = "jira-software-dc-10.3-openapi.json";

    private static readonly Lazy<string> Folder = new(FindFolder);

    private static readonly Lazy<OpenApiDocument> CloudDocument = new(() =>
        new OpenApiDocument(Parse(CloudFileName), serverPathPrefix: string.Empty));

    // The Data Center document writes paths without the /rest of its server URL (http://{baseurl}/rest),
    // and writes java.lang.Object values (such as issue fields) as a bare {"type":"object"}.
    private static readonly Lazy<OpenApiDocument> DataCenterDocument = new(() =>
        new OpenApiDocument(Parse(DataCenterFileName), serverPathPrefix: "/rest", bareObjectMeansAnyValue: true));

    public static OpenApiDocument Cloud => CloudDocument.Value;

    public static OpenApiDocument DataCenter => DataCenterDocument.Value;

    public static string ReferenceFolder => Folder.Value;

    private static JsonDocument Parse(string fileName)
    {
        using var stream = File.OpenRead(Path.Combine(Folder.Value, fileName));
        return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "reference");
            if (File.Exists(Path.Combine(candidate, CloudFileName)))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/reference folder with {CloudFileName} was found above {AppContext.BaseDirectory}.");
    }
}

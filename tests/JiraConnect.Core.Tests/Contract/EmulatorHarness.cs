#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;

namespace JiraConnect.Tests.Contract;

/// <summary>An Authorization header value.</summary>
public sealed record Credential(string Scheme, string Parameter)
{
    public static Credential Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    public static Credential Bearer(string token) => new("Bearer", token);

    public AuthenticationHeaderValue Header => new(Scheme, Parameter);
}

/// <summary>The documented seed accounts (tests/AtlassianEmulator/README.md), typed out as a client would.</summary>
public static class Seeded
{
    public const string CloudAdminAccountId = "5b10a2844c20165700ede21g";
    public const string CloudLimitedAccountId = "5b10ac8d82e05b22cc7d4ef5";
    public const string AdminPassword = "Adm1n-Passw0rd!";
    public const string LimitedPassword = "L1mited-Passw0rd!";
    public const string CloudAdminEmail = "admin@example.com";
    public const string CloudAdminToken = "ATATT3xFfGF0-emu-admin-Q7rT9vK2pL";
    public const string CloudLimitedEmail = "limited@example.com";
    public const string CloudLimitedToken = "ATATT3xFfGF0-emu-limited-W3nB8cJ4";
    public const string CloudCaptchaEmail = "captcha@example.com";
    public const string CloudCaptchaToken = "ATATT3xFfGF0-emu-captcha-Z5mH1sD6";
    public const string DataCenterAdminUser = "admin";
    public const string DataCenterLimitedUser = "limited";
    public const string DataCenterAdminPatToken = "NjQ4MzE-emu-pat-admin-R8sK2wQ5vX";

    public static readonly Credential CloudAdmin = Credential.Basic(CloudAdminEmail, CloudAdminToken);
    public static readonly Credential CloudLimited = Credential.Basic(CloudLimitedEmail, CloudLimitedToken);
    public static readonly Credential CloudCaptcha = Credential.Basic(CloudCaptchaEmail, CloudCaptchaToken);
    public static readonly Credential CloudAdminPassword = Credential.Basic("admin@example.com", AdminPassword);
    public static readonly Credential CloudWrongToken = Credential.Basic("admin@example.com", "ATATT3xFfGF0-wrong-token-J9kL0pA1");
    public static readonly Credential CloudUnknownUser = Credential.Basic("nobody@example.com", CloudAdminToken);

    public static readonly Credential DataCenterAdmin = Credential.Basic(DataCenterAdminUser, AdminPassword);
    public static readonly Credential DataCenterLimited = Credential.Basic(DataCenterLimitedUser, LimitedPassword);
    public static readonly Credential DataCenterCaptcha = Credential.Basic("captcha", "Capt-Passw0rd!");
    public static readonly Credential DataCenterWrongPassword = Credential.Basic("admin", "Wrong-Passw0rd!");
    public static readonly Credential DataCenterAdminPat = Credential.Bearer(DataCenterAdminPatToken);
    public static readonly Credential DataCenterLimitedPat = Credential.Bearer("NjQ4MzE-emu-pat-limited-T4yU6iO8");
    public static readonly Credential DataCenterWrongPat = Credential.Bearer("NjQ4MzE-emu-pat-wrong-A1b2C3d4");

    public static Credential Admin(EmulatorFlavor flavor) => flavor == EmulatorFlavor.Cloud ? CloudAdmin : DataCenterAdmin;

    public static Credential Limited(EmulatorFlavor flavor) => flavor == EmulatorFlavor.Cloud ? CloudLimited : DataCenterLimited;

    public static Credential Captcha(EmulatorFlavor flavor) => flavor == EmulatorFlavor.Cloud ? CloudCaptcha : DataCenterCaptcha;

    public static Credential WrongSecret(EmulatorFlavor flavor) => flavor == EmulatorFlavor.Cloud ? CloudWrongToken : DataCenterWrongPassword;
}

/// <summary>A response as the contract tests see it.</summary>
public sealed class ApiResponse
{
    private JsonDocument? _json;

    public required string Method { get; init; }

    /// <summary>The request path, without the query.</summary>
    public required string Path { get; init; }

    public required int Status { get; init; }

    public required string? MediaType { get; init; }

    public required string Body { get; init; }

    public required HttpResponseHeaders Headers { get; init; }

    public required HttpContentHeaders ContentHeaders { get; init; }

    public JsonElement Json => (_json ??= JsonDocument.Parse(Body)).RootElement;

    /// <summary>A response or content header, its values joined by commas; null when absent.</summary>
    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) || ContentHeaders.TryGetValues(name, out values) ? string.Join(",", values) : null;

    public override string ToString() => $"{Method} {Path} → {Status} {MediaType}: {(Body.Length > 400 ? Body[..400] + "…" : Body)}";
}

/// <summary>
/// The one way tests start the emulator: in process on 127.0.0.1 (port 0), seeded, with an HttpClient pointed at it.
/// Engine tests connect sessions to it with the helpers of <c>Emu</c>; OAuth tests add an app with <c>OAuthHarness</c>.
/// </summary>
public sealed class EmulatorHarness : IAsyncDisposable
{
    private EmulatorHarness(RunningEmulator emulator, EmulatorFlavor flavor)
    {
        Emulator = emulator;
        Flavor = flavor;
        Http = new HttpClient { BaseAddress = emulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public RunningEmulator Emulator { get; }

    public EmulatorState State => Emulator.State;

    public Uri BaseUrl => Emulator.BaseUrl;

    public EmulatorFlavor Flavor { get; }

    public HttpClient Http { get; }

    /// <summary>The main REST API root of the flavor: rest/api/3 on Cloud, rest/api/2 on Data Center.</summary>
    public string Api => Flavor == EmulatorFlavor.Cloud ? "rest/api/3" : "rest/api/2";

    public OpenApiDocument Document => Flavor == EmulatorFlavor.Cloud ? ReferenceDocuments.Cloud : ReferenceDocuments.DataCenter;

    public static async Task<EmulatorHarness> StartAsync(EmulatorFlavor flavor, int projects = EmulatorOptions.DefaultProjects, int issues = EmulatorOptions.DefaultIssues)
    {
        var emulator = await EmulatorApp.StartAsync(new EmulatorOptions { Flavor = flavor, Projects = projects, Issues = issues });
        return new EmulatorHarness(emulator, flavor);
    }

    public static Task<EmulatorHarness> Cloud(int projects = EmulatorOptions.DefaultProjects, int issues = EmulatorOptions.DefaultIssues) =>
        StartAsync(EmulatorFlavor.Cloud, projects, issues);

    public static Task<EmulatorHarness> DataCenter(int projects = EmulatorOptions.DefaultProjects, int issues = EmulatorOptions.DefaultIssues) =>
        StartAsync(EmulatorFlavor.DataCenter, projects, issues);

    public Task<ApiResponse> GetAsync(string pathAndQuery, Credential? credential = null) =>
        SendAsync(HttpMethod.Get, pathAndQuery, credential);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string pathAndQuery, Credential? credential = null, string? jsonBody = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Authorization = credential?.Header;
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        return new ApiResponse
        {
            Method = method.Method,
            Path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : "/" + pathAndQuery.Split('?')[0],
            Status = (int)response.StatusCode,
            MediaType = response.Content.Headers.ContentType?.MediaType,
            Body = await response.Content.ReadAsStringAsync(cancellationToken),
            Headers = response.Headers,
            ContentHeaders = response.Content.Headers,
        };
    }

    /// <summary>GETs, asserts the status, and validates the body against the flavor's OpenAPI document.</summary>
    public async Task<ApiResponse> GetValidAsync(string pathAndQuery, Credential? credential, int expectedStatus)
    {
        var response = await GetAsync(pathAndQuery, credential);
        Xunit.Assert.True(expectedStatus == response.Status, $"Expected {expectedStatus}, got {response}");
        OpenApiContract.AssertConforms(Document, response);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}

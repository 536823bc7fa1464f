// Baseline for the Get-JiraProject benchmark: what a plain C# client does to list every project on a
// Jira Cloud site. One HttpClient, pre-emptive Basic auth, sequential pages of
// GET /rest/api/3/project/search?startAt=S&maxResults=100&orderBy=key, each body deserialized with
// System.Text.Json (web defaults, reflection metadata) into a small typed DTO list.
//
// Warm-up: one cold listing, then at least W listings and S seconds, then on until the JIT compiled
// (almost) nothing during three listings in a row (at most --max-warmup listings): the same rule the
// module's process follows.
// Batch mode (default): warm-up, then N timed runs; prints one JSON object with the samples.
//   dotnet Baseline.dll --url URL --user EMAIL --token TOKEN [--expected N] [--warmup W]
//                       [--warmup-seconds S] [--max-warmup M] [--iterations N]
// Step mode (--serve): warm-up, prints "BENCH ready <count> warmup <listings> first <cold ms>", then
// for every "run" line on stdin does one timed run and prints
// "BENCH ms <wall-clock ms> cpu <process CPU ms> alloc <bytes allocated> jit <methods compiled>";
// exits when stdin closes. The benchmark script uses this to interleave the baseline with the module
// so both see the same machine noise.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var options = Options.Parse(args);
using var client = new HttpClient { BaseAddress = new Uri(options.Url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Token}")));
client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

// The first (cold) listing, then the warm-up.
var coldClock = Stopwatch.StartNew();
int count = await FetchAllAsync();
var first = coldClock.Elapsed.TotalMilliseconds;
int listings = 0, quiet = 0;
var warming = Stopwatch.StartNew();
while (listings < options.MaxWarmup
    && (listings < options.Warmup || warming.Elapsed.TotalSeconds < options.WarmupSeconds || quiet < 3))
{
    var (_, _, _, jit) = await MeasureAsync();
    listings++;
    quiet = jit <= 2 ? quiet + 1 : 0;
}

if (options.Serve)
{
    Console.WriteLine(FormattableString.Invariant($"BENCH ready {count} warmup {listings} first {first:F3}"));
    string? line;
    while ((line = Console.ReadLine()) != null)
    {
        if (line.Trim() != "run") continue;
        var (ms, cpu, allocated, jit) = await MeasureAsync();
        Console.WriteLine(FormattableString.Invariant($"BENCH ms {ms:F3} cpu {cpu:F3} alloc {allocated} jit {jit}"));
    }
    return 0;
}

var samples = new List<double>();
for (var i = 0; i < options.Iterations; i++)
{
    samples.Add(Math.Round((await MeasureAsync()).Milliseconds, 3));
}
Console.WriteLine(JsonSerializer.Serialize(new { projects = count, warmup = listings, firstMs = Math.Round(first, 3), samplesMs = samples }));
return 0;

// One timed listing: wall-clock ms, process CPU ms, bytes allocated, methods the JIT compiled meanwhile.
async Task<(double Milliseconds, double Cpu, long Allocated, long Jit)> MeasureAsync()
{
    var jit = System.Runtime.JitInfo.GetCompiledMethodCount();
    var allocated = GC.GetTotalAllocatedBytes();
    var cpu = ProcessorTime();
    var stopwatch = Stopwatch.StartNew();
    await FetchAllAsync();
    stopwatch.Stop();
    return (stopwatch.Elapsed.TotalMilliseconds, (ProcessorTime() - cpu).TotalMilliseconds,
        GC.GetTotalAllocatedBytes() - allocated, System.Runtime.JitInfo.GetCompiledMethodCount() - jit);
}

static TimeSpan ProcessorTime()
{
    using var process = Process.GetCurrentProcess();
    return process.TotalProcessorTime;
}

// One full listing: sequential pages until the server says it was the last one.
async Task<int> FetchAllAsync()
{
    var projects = new List<ProjectDto>();
    long? total = null;
    var startAt = 0;
    while (true)
    {
        var uri = string.Create(CultureInfo.InvariantCulture, $"rest/api/3/project/search?startAt={startAt}&maxResults=100&orderBy=key");
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var page = await JsonSerializer.DeserializeAsync<ProjectPage>(body, json)
            ?? throw new InvalidDataException($"Empty page at startAt={startAt}.");
        projects.AddRange(page.Values);
        total = page.Total;
        startAt += page.Values.Count;
        if (page.IsLast || page.Values.Count == 0) break;
    }

    if (options.Expected is int expected && projects.Count != expected)
        throw new InvalidDataException($"Fetched {projects.Count} projects, expected {expected}.");
    if (total is long reported && reported != projects.Count)
        throw new InvalidDataException($"Fetched {projects.Count} projects, but the server reported total={reported}.");
    return projects.Count;
}

internal sealed class ProjectPage
{
    public string? Self { get; set; }
    public string? NextPage { get; set; }
    public int MaxResults { get; set; }
    public long StartAt { get; set; }
    public long? Total { get; set; }
    public bool IsLast { get; set; }
    public List<ProjectDto> Values { get; set; } = new();
}

internal sealed class ProjectDto
{
    public string Id { get; set; } = "";
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Self { get; set; }
    public string? ProjectTypeKey { get; set; }
    public string? Style { get; set; }
    public bool Simplified { get; set; }
    public bool IsPrivate { get; set; }
}

internal sealed record Options(string Url, string User, string Token, int? Expected, int Warmup, double WarmupSeconds, int MaxWarmup,
    int Iterations, bool Serve)
{
    public static Options Parse(string[] args)
    {
        string? url = null, user = null, token = null;
        int? expected = null;
        int warmup = 40, maxWarmup = 200, iterations = 5;
        double warmupSeconds = 5;
        var serve = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--url": url = Next(); break;
                case "--user": user = Next(); break;
                case "--token": token = Next(); break;
                case "--expected": expected = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup-seconds": warmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-warmup": maxWarmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--iterations": iterations = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--serve": serve = true; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        return new Options(url ?? throw new ArgumentException("--url is required."),
            user ?? throw new ArgumentException("--user is required."),
            token ?? throw new ArgumentException("--token is required."),
            expected, warmup, warmupSeconds, maxWarmup, iterations, serve);
    }
}

using System.Globalization;

namespace AtlassianEmulator;

/// <summary>Jira Cloud's rate-limit headers. The emulator never limits by itself: 429s come from faults.</summary>
internal static class RateLimitHeaders
{
    public const int BurstLimit = 100;

    /// <summary>Headers of a request well within the limit.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = "100";
        headers["X-RateLimit-Remaining"] = "99";
        headers["X-RateLimit-NearLimit"] = "false";
    }

    /// <summary>Headers of a 429 from the burst limit.</summary>
    public static void ApplyLimited(HttpResponse response, int? retryAfterSeconds)
    {
        var headers = response.Headers;
        var wait = retryAfterSeconds ?? 1;
        headers["X-RateLimit-Limit"] = "100";
        headers["X-RateLimit-Remaining"] = "0";
        headers["X-RateLimit-NearLimit"] = "true";
        headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddSeconds(wait).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        headers["RateLimit-Reason"] = "jira-burst-based";
    }
}

/// <summary>Adds the rate-limit headers to every /rest response.</summary>
internal sealed class RateLimitHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/rest", StringComparison.OrdinalIgnoreCase))
        {
            RateLimitHeaders.Apply(context.Response);
        }

        return next(context);
    }
}

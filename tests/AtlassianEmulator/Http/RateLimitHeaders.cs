using System.Globalization;

namespace AtlassianEmulator;

/// <summary>Jira Cloud's rate-limit headers.</summary>
internal static class RateLimitHeaders
{
    public const int BurstLimit = 100;

    /// <summary>Headers of a request within the limit.</summary>
    public static void Apply(HttpResponse response, int limit = BurstLimit, int remaining = BurstLimit - 1)
    {
        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-NearLimit"] = remaining < limit / 5 ? "true" : "false";
    }

    /// <summary>Headers of a 429 from the burst limit.</summary>
    public static void ApplyLimited(HttpResponse response, int? retryAfterSeconds, int limit = BurstLimit, DateTimeOffset? reset = null)
    {
        var headers = response.Headers;
        var wait = retryAfterSeconds ?? 1;
        headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = "0";
        headers["X-RateLimit-NearLimit"] = "true";
        headers["X-RateLimit-Reset"] = (reset ?? DateTimeOffset.UtcNow.AddSeconds(wait)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
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

/// <summary>
/// Enforces <see cref="BurstLimiter"/> per routed endpoint (method and route pattern) of the REST API:
/// over the limit the answer is 429 with Retry-After (whole seconds until the window ends) and the rate-limit headers.
/// </summary>
internal sealed class BurstLimitMiddleware(RequestDelegate next, EmulatorState state)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limiter = state.BurstLimiter;
        if (!limiter.Enabled
            || !context.Request.Path.StartsWithSegments("/rest", StringComparison.OrdinalIgnoreCase)
            || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return next(context);
        }

        var now = DateTimeOffset.UtcNow;
        var decision = limiter.Take(context.Request.Method, endpoint.RoutePattern.RawText ?? context.Request.Path.Value ?? "/", now);
        if (decision.Allowed)
        {
            RateLimitHeaders.Apply(context.Response, decision.Limit, decision.Remaining);
            return next(context);
        }

        var retryAfter = Math.Max(1, (int)Math.Ceiling((decision.Reset - now).TotalSeconds));
        RateLimitHeaders.ApplyLimited(context.Response, retryAfter, decision.Limit, decision.Reset);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return JiraErrors.Error(StatusCodes.Status429TooManyRequests, JiraErrors.MessageFor(StatusCodes.Status429TooManyRequests)).ExecuteAsync(context);
    }
}

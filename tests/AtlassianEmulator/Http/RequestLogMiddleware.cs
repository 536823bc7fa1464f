namespace AtlassianEmulator;

/// <summary>Records every request outside /_emulator: method, path, query, auth scheme, status, time.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, EmulatorState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(EmulatorApp.AdminPrefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var timestamp = DateTimeOffset.UtcNow;
        try
        {
            await next(context);
        }
        finally
        {
            var abandoned = context.Features.Get<DroppedFeature>() is not null || context.RequestAborted.IsCancellationRequested;
            state.LogRequest(new RequestLogEntry(
                request.Method,
                request.Path.Value ?? "/",
                request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
                Authenticator.SchemeOf(request.Headers.Authorization),
                abandoned ? null : context.Response.StatusCode,
                timestamp));
        }
    }
}

using System.Globalization;
using System.Text;

namespace AtlassianEmulator;

/// <summary>Marks a request whose connection a fault dropped, for the request log.</summary>
internal sealed class DroppedFeature;

/// <summary>Applies the injected faults of <see cref="EmulatorState"/> to matching requests.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, EmulatorState state, IHostApplicationLifetime lifetime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(EmulatorApp.AdminPrefix, StringComparison.OrdinalIgnoreCase)
            || state.TakeFault(context.Request.Method, context.Request.Path.Value ?? "/") is not { } fault)
        {
            await next(context);
            return;
        }

        switch (fault.Kind)
        {
            case FaultKind.Status:
                await AnswerStatusAsync(context, fault);
                break;
            case FaultKind.Delay:
                if (await DelayAsync(context, fault.DelayMs))
                {
                    await next(context);
                }

                break;
            case FaultKind.Drop:
                context.Features.Set(new DroppedFeature());
                context.Abort();
                break;
            case FaultKind.MalformedJson:
                await WriteAsync(context, JsonResult.ContentType, $"{{\"self\":\"{state.BaseAddress}{context.Request.Path}\",\"maxResults\":50,\"startAt\":0,\"total\":3,\"isLast\":true,\"values\":[{{\"id\":\"10000\",\"key\":\"DE");
                break;
            case FaultKind.Html:
                await WriteAsync(context, "text/html;charset=UTF-8", SsoLoginPage(state.BaseAddress));
                break;
            case FaultKind.Redirect:
                context.Response.StatusCode = fault.Status ?? StatusCodes.Status302Found;
                context.Response.Headers.Location = fault.Location;
                context.Response.ContentLength = 0;
                break;
        }
    }

    private static Task AnswerStatusAsync(HttpContext context, FaultRule fault)
    {
        var status = fault.Status ?? StatusCodes.Status500InternalServerError;
        if (status == StatusCodes.Status429TooManyRequests)
        {
            RateLimitHeaders.ApplyLimited(context.Response, fault.RetryAfter);
        }

        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        return JiraErrors.Error(status, JiraErrors.MessageFor(status)).ExecuteAsync(context);
    }

    /// <summary>Waits; false when the client went away or the emulator is stopping.</summary>
    private async Task<bool> DelayAsync(HttpContext context, int milliseconds)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(milliseconds, cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static Task WriteAsync(HttpContext context, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static string SsoLoginPage(string baseAddress) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Log in with SSO</title>
        </head>
        <body>
        <h1>Log in with SSO</h1>
        <p>Your organization requires single sign-on. Continue to your identity provider to log in.</p>
        <form id="sso-form" method="post" action="{baseAddress}/login/sso">
        <input type="hidden" name="SAMLRequest" value="PHNhbWxwOkF1dGhuUmVxdWVzdC8+">
        <input type="hidden" name="RelayState" value="{baseAddress}/">
        <button type="submit">Continue</button>
        </form>
        </body>
        </html>
        """;
}

namespace AtlassianEmulator;

/// <summary>Turns an unhandled exception into Jira's 500 body and reports it on standard error.</summary>
internal sealed class ErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Atlassian emulator: {context.Request.Method} {context.Request.Path} failed: {ex}");
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await JiraErrors.Error(StatusCodes.Status500InternalServerError, JiraErrors.MessageFor(500)).ExecuteAsync(context);
            }
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
    }
}

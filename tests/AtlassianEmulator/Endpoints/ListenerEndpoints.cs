namespace AtlassianEmulator;

/// <summary>
/// A minimal webhook listener, as an integration platform runs one: POST /listener accepts a request whose
/// Authorization header is "Bearer" and the listener token (settings: listenerToken), and answers 401 otherwise.
/// Faults with the path /listener delay or break it.
/// </summary>
internal static class ListenerEndpoints
{
    public const string Path = "/listener";

    public static void Map(IEndpointRouteBuilder routes, EmulatorState state)
    {
        routes.MapPost(Path, (RequestDelegate)(async context =>
        {
            var bytes = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                bytes += read;
            }

            var authorization = context.Request.Headers.Authorization.ToString();
            var expected = "Bearer " + state.ListenerToken;
            if (!EmulatorState.FixedTimeEquals(expected, authorization))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"listener\"";
                await JsonResult.Of(new MessageDto { Message = "Unauthorized: the Bearer token is missing or wrong." }, EmulatorJson.Wire.MessageDto,
                    StatusCodes.Status401Unauthorized).ExecuteAsync(context);
                return;
            }

            await JsonResult.Of(new ListenerReceiptDto { Status = "accepted", Bytes = bytes }, EmulatorJson.Wire.ListenerReceiptDto).ExecuteAsync(context);
        }));
    }
}

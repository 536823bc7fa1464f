using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AtlassianEmulator;

/// <summary>A JSON body being streamed into the response.</summary>
internal sealed class JsonBody(Utf8JsonWriter writer, PipeWriter pipe, CancellationToken cancellationToken)
{
    private const int FlushThreshold = 32 * 1024;

    public Utf8JsonWriter Writer { get; } = writer;

    /// <summary>Sends what is written so far once enough has piled up, so large lists never sit in memory.</summary>
    public async ValueTask FlushIfFullAsync()
    {
        if (Writer.BytesPending >= FlushThreshold)
        {
            Writer.Flush();
            await pipe.FlushAsync(cancellationToken);
        }
    }
}

/// <summary>An <see cref="IResult"/> that writes JSON straight into the response pipe.</summary>
internal sealed class JsonResult(int statusCode, Func<JsonBody, ValueTask> write, string contentType = JsonResult.ContentType) : IResult
{
    public const string ContentType = "application/json;charset=UTF-8";

    public static JsonResult Of<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK) =>
        new(statusCode, body =>
        {
            JsonSerializer.Serialize(body.Writer, value, typeInfo);
            return ValueTask.CompletedTask;
        });

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        var pipe = response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(pipe, EmulatorJson.WriterOptions))
        {
            await write(new JsonBody(writer, pipe, httpContext.RequestAborted));

            // A body that never needed an intermediate flush is sent with its length instead of chunked.
            if (!response.HasStarted)
            {
                response.ContentLength = writer.BytesCommitted + writer.BytesPending;
            }
        }

        await pipe.FlushAsync(httpContext.RequestAborted);
    }
}

using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace JiraConnect.Http
{
    /// <summary>A response body already read into memory; the client takes the array without copying it.</summary>
    internal sealed class BufferedContent : ByteArrayContent
    {
        public BufferedContent(byte[] body) : base(body) { Body = body; }

        public byte[] Body { get; }

        /// <summary>
        /// The body of an answer that came through the pipeline: the buffered array itself, not a copy, so a caller
        /// that clears it (token responses) clears the only copy.
        /// </summary>
        public static async Task<byte[]> ReadBodyAsync(HttpResponseMessage message) =>
            message.Content is BufferedContent buffered ? buffered.Body
            : message.Content == null ? Array.Empty<byte>() : await message.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    }
}

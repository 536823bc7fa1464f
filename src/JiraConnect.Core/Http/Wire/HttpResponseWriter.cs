using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace JiraConnect.Http.Wire
{
    /// <summary>Writes the small, complete HTTP/1.1 answers of the local listeners (webhook listener, OAuth redirect receiver).</summary>
    internal static class HttpResponseWriter
    {
        private static readonly byte[] Continue = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");

        /// <summary>
        /// Writes status line, Content-Type, Content-Length, Cache-Control: no-store, Connection: close when
        /// <paramref name="close"/>, the extra header lines and the body, in one write.
        /// </summary>
        public static async Task WriteAsync(Stream stream, int status, string contentType, byte[] body, bool close, params string[] extraHeaders)
        {
            var head = new StringBuilder(160)
                .Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(status)).Append("\r\n")
                .Append("Content-Type: ").Append(contentType).Append("\r\n")
                .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
                .Append("Cache-Control: no-store\r\n");
            if (close) head.Append("Connection: close\r\n");
            if (extraHeaders != null)
                foreach (string header in extraHeaders)
                    if (header != null) head.Append(header).Append("\r\n");
            head.Append("\r\n");
            var message = new byte[Encoding.ASCII.GetByteCount(head.ToString()) + body.Length];
            int written = Encoding.ASCII.GetBytes(head.ToString(), 0, head.Length, message, 0);
            Buffer.BlockCopy(body, 0, message, written, body.Length);
            await stream.WriteAsync(message, 0, message.Length).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }

        /// <summary>The interim answer to Expect: 100-continue.</summary>
        public static Task WriteContinueAsync(Stream stream) => stream.WriteAsync(Continue, 0, Continue.Length);

        public static string ReasonPhrase(int status)
        {
            switch (status)
            {
                case 200: return "OK";
                case 400: return "Bad Request";
                case 401: return "Unauthorized";
                case 404: return "Not Found";
                case 413: return "Payload Too Large";
                case 431: return "Request Header Fields Too Large";
                case 501: return "Not Implemented";
                default: return "Error";
            }
        }
    }
}

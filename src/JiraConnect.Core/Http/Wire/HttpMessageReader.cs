using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Http.Wire
{
    /// <summary>
    /// Reads HTTP/1.1 messages from a stream: heads line by line with a size limit, bodies by Content-Length,
    /// chunked transfer coding or (responses only) until the connection closes. Bytes read past one message stay
    /// buffered for the next, so keep-alive and pipelined requests work.
    /// </summary>
    internal sealed class HttpMessageReader
    {
        public const int DefaultMaxHeadBytes = 64 * 1024;
        private const int MaxHeaders = 256;
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;
        private bool _eof;

        public HttpMessageReader(Stream stream) { _stream = stream; }

        /// <summary>Reads a head; null when the stream ends cleanly before the first byte of a message.</summary>
        public async Task<HttpHead> ReadHeadAsync(int maxHeadBytes, CancellationToken cancellationToken)
        {
            int used = 0;
            string startLine = null;
            var headers = new List<KeyValuePair<string, string>>();
            while (true)
            {
                string line = await ReadLineAsync(maxHeadBytes - used, cancellationToken).ConfigureAwait(false);
                if (line == null)
                {
                    if (startLine == null && used == 0) return null;
                    throw new HttpMessageException(400, "The connection closed in the middle of the message head.");
                }
                used += line.Length + 2;
                if (startLine == null)
                {
                    // Robustness (RFC 9112 2.2): empty lines before the start line are ignored.
                    if (line.Length == 0) continue;
                    startLine = line;
                    continue;
                }
                if (line.Length == 0) return new HttpHead(startLine, headers);
                if (line[0] == ' ' || line[0] == '\t')
                    throw new HttpMessageException(400, "Folded header lines are not allowed.");
                int colon = line.IndexOf(':');
                if (colon <= 0) throw new HttpMessageException(400, "A header line has no name.");
                string name = line.Substring(0, colon);
                if (!IsToken(name)) throw new HttpMessageException(400, "A header name contains characters that are not allowed.");
                if (headers.Count >= MaxHeaders) throw new HttpMessageException(431, "The message has too many headers.");
                headers.Add(new KeyValuePair<string, string>(name, line.Substring(colon + 1).Trim(' ', '\t')));
            }
        }

        /// <summary>
        /// Reads the body the head announces, keeping at most <paramref name="keepBytes"/> bytes. More than
        /// <paramref name="maxBytes"/> in total throws 413; the rest of that body is not read.
        /// </summary>
        public async Task<HttpBody> ReadBodyAsync(HttpHead head, bool untilClose, long keepBytes, long maxBytes, CancellationToken cancellationToken)
        {
            var kept = new MemoryStream();
            long total = 0;
            if (head.IsChunked)
            {
                while (true)
                {
                    string sizeLine = await ReadLineAsync(1024, cancellationToken).ConfigureAwait(false)
                        ?? throw new HttpMessageException(400, "The connection closed in the middle of a chunked body.");
                    int semicolon = sizeLine.IndexOf(';');
                    string hex = (semicolon >= 0 ? sizeLine.Substring(0, semicolon) : sizeLine).Trim();
                    if (hex.Length == 0 || hex.Length > 15 || !long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
                        throw new HttpMessageException(400, "A chunk size is not a hexadecimal number.");
                    if (size == 0) break;
                    if (total + size > maxBytes) throw new HttpMessageException(413, "The body is larger than allowed.");
                    await CopyAsync(size, kept, keepBytes, cancellationToken).ConfigureAwait(false);
                    total += size;
                    string end = await ReadLineAsync(2, cancellationToken).ConfigureAwait(false);
                    if (end == null || end.Length != 0) throw new HttpMessageException(400, "A chunk is not followed by CRLF.");
                }
                // Trailer fields, up to the empty line.
                while (true)
                {
                    string trailer = await ReadLineAsync(8192, cancellationToken).ConfigureAwait(false);
                    if (trailer == null || trailer.Length == 0) break;
                }
            }
            else if (head.ContentLength is long length)
            {
                if (length > maxBytes) throw new HttpMessageException(413, "The body is larger than allowed.");
                await CopyAsync(length, kept, keepBytes, cancellationToken).ConfigureAwait(false);
                total = length;
            }
            else if (untilClose)
            {
                while (true)
                {
                    int available = await FillAsync(cancellationToken).ConfigureAwait(false);
                    if (available == 0) break;
                    if (total + available > maxBytes) throw new HttpMessageException(413, "The body is larger than allowed.");
                    Keep(kept, keepBytes, available);
                    _start += available;
                    total += available;
                }
            }
            return new HttpBody { Kept = kept.ToArray(), Length = total };
        }

        private async Task CopyAsync(long count, MemoryStream kept, long keepBytes, CancellationToken cancellationToken)
        {
            long remaining = count;
            while (remaining > 0)
            {
                int available = await FillAsync(cancellationToken).ConfigureAwait(false);
                if (available == 0) throw new HttpMessageException(400, "The connection closed before the whole body arrived.");
                int take = (int)Math.Min(available, remaining);
                Keep(kept, keepBytes, take);
                _start += take;
                remaining -= take;
            }
        }

        private void Keep(MemoryStream kept, long keepBytes, int count)
        {
            long room = keepBytes - kept.Length;
            if (room > 0) kept.Write(_buffer, _start, (int)Math.Min(room, count));
        }

        /// <summary>Waits for the first byte of the next message; false when the stream ended instead.</summary>
        public async Task<bool> WaitForDataAsync(CancellationToken cancellationToken) =>
            await FillAsync(cancellationToken).ConfigureAwait(false) > 0;

        /// <summary>Bytes buffered and not yet consumed, reading more when there are none; 0 at the end of the stream.</summary>
        private async Task<int> FillAsync(CancellationToken cancellationToken)
        {
            if (_end > _start) return _end - _start;
            if (_eof) return 0;
            _start = 0;
            _end = 0;
            int read = await _stream.ReadAsync(_buffer, 0, _buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                _eof = true;
                return 0;
            }
            _end = read;
            return read;
        }

        /// <summary>A line without its CRLF (a bare LF is accepted); null at the end of the stream before any byte.</summary>
        private async Task<string> ReadLineAsync(int maxBytes, CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            bool any = false;
            while (true)
            {
                int available = await FillAsync(cancellationToken).ConfigureAwait(false);
                if (available == 0)
                {
                    if (!any) return null;
                    throw new HttpMessageException(400, "The connection closed in the middle of a line.");
                }
                any = true;
                int newline = Array.IndexOf(_buffer, (byte)'\n', _start, available);
                int take = newline >= 0 ? newline - _start : available;
                if (line.Length + take > maxBytes + 1) throw new HttpMessageException(431, "A line of the message head is too long.");
                // Header bytes are Latin-1 by definition (RFC 9110 5.5); a UTF-8 value survives the round trip byte for byte.
                for (int i = 0; i < take; i++) line.Append((char)_buffer[_start + i]);
                if (newline >= 0)
                {
                    _start = newline + 1;
                    if (line.Length > 0 && line[line.Length - 1] == '\r') line.Length--;
                    if (line.Length > maxBytes) throw new HttpMessageException(431, "A line of the message head is too long.");
                    for (int i = 0; i < line.Length; i++)
                        if (line[i] == '\0' || line[i] == '\r') throw new HttpMessageException(400, "The message head contains a control character.");
                    return line.ToString();
                }
                _start += take;
            }
        }

        internal static bool IsToken(string name)
        {
            if (string.IsNullOrEmpty(name)) return false;
            foreach (char c in name)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
                if (!ok) return false;
            }
            return true;
        }
    }
}

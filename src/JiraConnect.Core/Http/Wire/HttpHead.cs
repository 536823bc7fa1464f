using System;
using System.Collections.Generic;
using System.Globalization;

namespace JiraConnect.Http.Wire
{
    /// <summary>An HTTP/1.1 message that cannot be read: malformed (400), a head too large (431) or a body too large (413).</summary>
    internal sealed class HttpMessageException : Exception
    {
        public HttpMessageException(int statusCode, string message) : base(message) { StatusCode = statusCode; }

        /// <summary>The status a server answers for it.</summary>
        public int StatusCode { get; }
    }

    /// <summary>The start line and headers of an HTTP/1.1 request or response.</summary>
    internal sealed class HttpHead
    {
        public HttpHead(string startLine, List<KeyValuePair<string, string>> headers)
        {
            StartLine = startLine;
            Headers = headers;
        }

        public string StartLine { get; }
        public List<KeyValuePair<string, string>> Headers { get; }

        /// <summary>The values of a header joined by ", ", or null when absent.</summary>
        public string Get(string name)
        {
            string value = null;
            foreach (var header in Headers)
            {
                if (!string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) continue;
                value = value == null ? header.Value : value + ", " + header.Value;
            }
            return value;
        }

        public bool IsChunked
        {
            get
            {
                string te = Get("Transfer-Encoding");
                if (te == null) return false;
                string[] codings = te.Split(',');
                return string.Equals(codings[codings.Length - 1].Trim(), "chunked", StringComparison.OrdinalIgnoreCase);
            }
        }

        /// <summary>The declared body length; null when absent. Throws 400 for a malformed or contradictory value.</summary>
        public long? ContentLength
        {
            get
            {
                long? length = null;
                foreach (var header in Headers)
                {
                    if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                    foreach (var part in header.Value.Split(','))
                    {
                        string text = part.Trim();
                        if (text.Length == 0 || text.Length > 18 || !IsDigits(text))
                            throw new HttpMessageException(400, "The Content-Length header is not a number.");
                        long value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
                        if (length.HasValue && length.Value != value)
                            throw new HttpMessageException(400, "The message has two different Content-Length values.");
                        length = value;
                    }
                }
                return length;
            }
        }

        /// <summary>
        /// Refuses request framing that two parsers could read differently (RFC 9112 6.1, 6.3): Transfer-Encoding
        /// together with Content-Length, Transfer-Encoding in an HTTP/1.0 request, and a transfer coding other than a
        /// final chunked. Throws 400; the server must then close the connection.
        /// </summary>
        public void CheckRequestFraming(string version)
        {
            string te = Get("Transfer-Encoding");
            if (te == null) return;
            if (version == "HTTP/1.0")
                throw new HttpMessageException(400, "An HTTP/1.0 request cannot use Transfer-Encoding.");
            foreach (var header in Headers)
                if (string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                    throw new HttpMessageException(400, "The request has both Content-Length and Transfer-Encoding.");
            if (!IsChunked)
                throw new HttpMessageException(400, "The request's Transfer-Encoding does not end with chunked.");
        }

        /// <summary>The status of a response head ("HTTP/1.1 200 OK"); throws 400 when the status line is malformed.</summary>
        public int ReadStatus(out string reason)
        {
            string[] parts = StartLine.Split(new[] { ' ' }, 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length != 3
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 100)
                throw new HttpMessageException(400, "the status line is '" + (StartLine.Length > 60 ? StartLine.Substring(0, 60) : StartLine) + "'");
            reason = parts.Length > 2 ? parts[2] : string.Empty;
            return status;
        }

        /// <summary>True when the connection must close after this message (Connection: close, or HTTP/1.0 without keep-alive).</summary>
        public bool WantsClose(string version)
        {
            string connection = Get("Connection") ?? string.Empty;
            if (connection.IndexOf("close", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            return version == "HTTP/1.0" && connection.IndexOf("keep-alive", StringComparison.OrdinalIgnoreCase) < 0;
        }

        private static bool IsDigits(string text)
        {
            foreach (char c in text)
                if (c < '0' || c > '9') return false;
            return true;
        }
    }

    /// <summary>A body as read: the bytes kept and how many bytes the message really had.</summary>
    internal struct HttpBody
    {
        public byte[] Kept;
        public long Length;
        public bool Truncated => Length > Kept.Length;
    }
}

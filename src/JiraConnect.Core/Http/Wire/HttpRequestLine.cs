using System;

namespace JiraConnect.Http.Wire
{
    /// <summary>The request line of an HTTP/1.x request ("METHOD target HTTP/1.1"), its target split into path and query.</summary>
    internal sealed class HttpRequestLine
    {
        private HttpRequestLine(string method, string version, string path, string query)
        {
            Method = method;
            Version = version;
            Path = path;
            Query = query;
        }

        public string Method { get; }
        /// <summary>HTTP/1.0 or HTTP/1.1 (any later 1.x is served as 1.1).</summary>
        public string Version { get; }
        /// <summary>The path of the target ("/" when empty), still percent-encoded.</summary>
        public string Path { get; }
        /// <summary>The query of the target without its '?'; empty when there is none.</summary>
        public string Query { get; }

        /// <summary>The parsed line, or null when it is not "METHOD target HTTP/1.x".</summary>
        public static HttpRequestLine TryParse(string startLine)
        {
            string[] parts = (startLine ?? string.Empty).Split(' ');
            if (parts.Length != 3 || !HttpMessageReader.IsToken(parts[0]) || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
            string target = parts[1];
            // The absolute form (RFC 9112 3.2.2) names the same resource as its path and query.
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
                target = absolute.PathAndQuery;
            int question = target.IndexOf('?');
            string path = question >= 0 ? target.Substring(0, question) : target;
            string query = question >= 0 ? target.Substring(question + 1) : string.Empty;
            return new HttpRequestLine(parts[0], parts[2] == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1", path.Length == 0 ? "/" : path, query);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;

namespace JiraConnect.Http
{
    /// <summary>A buffered HTTP answer.</summary>
    public sealed class JiraResponse
    {
        internal JiraResponse(HttpMethod method, Uri url, HttpResponseMessage message, byte[] body)
        {
            Method = method.Method;
            Url = url;
            StatusCode = message.StatusCode;
            ReasonPhrase = message.ReasonPhrase;
            ContentType = message.Content?.Headers.ContentType?.MediaType;
            Body = body ?? Array.Empty<byte>();
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in message.Headers) headers[header.Key] = string.Join(", ", header.Value);
            if (message.Content != null)
                foreach (var header in message.Content.Headers) headers[header.Key] = string.Join(", ", header.Value);
            Headers = headers;
            RetryAfter = ParseRetryAfter(message);
        }

        public string Method { get; }
        public Uri Url { get; }
        public HttpStatusCode StatusCode { get; }
        public string ReasonPhrase { get; }
        public string ContentType { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
        internal byte[] Body { get; }
        public TimeSpan? RetryAfter { get; }

        public bool IsSuccess => (int)StatusCode >= 200 && (int)StatusCode < 300;
        public bool IsHtml => ContentType != null && ContentType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0;
        public bool IsJson => ContentType != null && ContentType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;

        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        public string BodyText => Encoding.UTF8.GetString(Body);

        /// <summary>The wait until X-RateLimit-Reset (ISO 8601), which Jira Cloud sends on a 429; null when absent.</summary>
        internal static TimeSpan? ParseRateLimitReset(HttpResponseMessage message)
        {
            if (!message.Headers.TryGetValues("X-RateLimit-Reset", out var raw)) return null;
            if (!DateTimeOffset.TryParse(raw.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset)) return null;
            var wait = reset - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        internal static TimeSpan? ParseRetryAfter(HttpResponseMessage message)
        {
            var retryAfter = message.Headers.RetryAfter;
            if (retryAfter == null)
            {
                // Some proxies send a non-standard value; read it leniently.
                if (message.Headers.TryGetValues("Retry-After", out var raw)
                    && double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    return TimeSpan.FromSeconds(Math.Max(0, seconds));
                return null;
            }
            if (retryAfter.Delta.HasValue) return retryAfter.Delta.Value;
            if (retryAfter.Date.HasValue)
            {
                var wait = retryAfter.Date.Value - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
            return null;
        }
    }
}

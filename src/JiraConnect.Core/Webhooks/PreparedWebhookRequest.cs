using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using JiraConnect.Http.Wire;
using JiraConnect.Security;

namespace JiraConnect.Webhooks
{
    /// <summary>The parts of a request that are the same for every attempt and hop, checked once, with the secrets unwrapped once.</summary>
    internal sealed class PreparedWebhookRequest
    {
        private static readonly string UserAgent = "JiraConnect/" + typeof(PreparedWebhookRequest).Assembly.GetName().Version.ToString(3) + " (webhook test)";
        private readonly JiraWebhookRequest _request;
        private readonly string _authorization;
        private readonly string _signature;

        /// <summary>Checks the request (an absolute http(s) URL without user info, the token only over TLS unless allowed) and prepares it; <paramref name="reveal"/> unwraps the token, else it is masked.</summary>
        public static PreparedWebhookRequest Prepare(JiraWebhookRequest request, bool reveal)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.Uri == null || !request.Uri.IsAbsoluteUri || (request.Uri.Scheme != Uri.UriSchemeHttp && request.Uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument,
                    "The listener URL must be an absolute http:// or https:// address.", request.Uri?.OriginalString,
                    "Pass the URL exactly as it goes into the rule's URL field, for example https://listener.example.com/hooks/jira.");
            }
            if (!string.IsNullOrEmpty(request.Uri.UserInfo))
            {
                throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument,
                    "The listener URL must not contain a user name or password.", Redactor.Url(request.Uri),
                    "Pass the token with -Credential or -Token; it is sent as Authorization: Bearer.");
            }
            if (request.Token != null)
            {
                try
                {
                    Http.JiraHttpPipeline.EnsureTransportAllowed(request.Uri, request.AllowUnencryptedAuthentication);
                }
                catch (JiraException e)
                {
                    throw new JiraException(e.ErrorId, e.Kind, "Refusing to send the listener's token over unencrypted HTTP to " + request.Uri.GetLeftPart(UriPartial.Authority) + ".",
                        e.Target, "Use the listener's https:// address. For a listener on a trusted network that only speaks HTTP, pass -AllowUnencryptedAuthentication.");
                }
            }
            return new PreparedWebhookRequest(request, reveal);
        }

        private PreparedWebhookRequest(JiraWebhookRequest request, bool reveal)
        {
            _request = request;
            Method = (request.Method ?? "POST").ToUpperInvariant();
            Body = Encoding.UTF8.GetBytes(request.Payload?.Body ?? string.Empty);
            Identifier = request.Payload?.WebhookIdentifier;
            Headers = new List<KeyValuePair<string, string>>();

            var user = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (request.Headers != null)
            {
                foreach (var header in request.Headers)
                {
                    if (!HttpMessageReader.IsToken(header.Key) || (header.Value ?? string.Empty).IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0)
                    {
                        throw new JiraException(JiraErrorId.InvalidWebhookHeader, JiraErrorKind.InvalidArgument,
                            $"The header '{Redactor.Text(header.Key)}' is not a valid HTTP header (a name of letters, digits and !#$%&'*+-.^_`|~, a value without line breaks).",
                            header.Key, "Correct the name or value in -Header.");
                    }
                    if (IsManaged(header.Key))
                    {
                        throw new JiraException(JiraErrorId.InvalidWebhookHeader, JiraErrorKind.InvalidArgument,
                            $"The header '{header.Key}' is set by the request itself and cannot be given in -Header.", header.Key,
                            "Leave it out; Host, Content-Length, Connection and Transfer-Encoding follow from -Uri and the body.");
                    }
                    user[header.Key] = header.Value ?? string.Empty;
                }
            }
            if (request.Token != null && user.ContainsKey("Authorization"))
            {
                throw new JiraException(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "The token and an Authorization header in -Header cannot be used together.", "Authorization",
                    "Pass the token with -Credential or -Token and leave Authorization out of -Header.");
            }

            string contentType = request.Payload?.ContentType;
            if (contentType != null && !user.ContainsKey("Content-Type")) Headers.Add(Pair("Content-Type", contentType));
            if (!user.ContainsKey("User-Agent")) Headers.Add(Pair("User-Agent", UserAgent));
            if (!user.ContainsKey("Accept")) Headers.Add(Pair("Accept", "*/*"));
            foreach (var header in request.Headers ?? new Dictionary<string, string>())
                Headers.Add(Pair(header.Key, header.Value ?? string.Empty));
            if (request.Payload?.Headers != null)
                foreach (var header in request.Payload.Headers)
                    if (!user.ContainsKey(header.Key) && !string.Equals(header.Key, JiraWebhookPayloadBuilder.IdentifierHeader, StringComparison.OrdinalIgnoreCase))
                        Headers.Add(Pair(header.Key, header.Value));

            if (request.Token != null) _authorization = reveal ? request.Token.Use(t => "Bearer " + t) : "Bearer " + Redactor.Mask;
            if (request.Secret != null)
            {
                _signature = request.Secret.Use(secret => WebhookSignature.Compute(Encoding.UTF8.GetBytes(secret), Body));
            }
        }

        public string Method { get; }
        public byte[] Body { get; }
        public string Identifier { get; }
        /// <summary>The fixed headers (no Host, Content-Length, credentials or per-request webhook headers).</summary>
        public List<KeyValuePair<string, string>> Headers { get; }

        /// <summary>The first request of an attempt: the request's own URL, method and body, with its credentials.</summary>
        public WebhookHop FirstHop(string identifier, int retry) =>
            new WebhookHop(_request.Uri, Method, Body, identifier, retry, sendCredentials: true);

        /// <summary>The headers of a hop, secrets masked.</summary>
        public IReadOnlyDictionary<string, string> Describe(WebhookHop hop)
        {
            var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in All(hop))
                shown[header.Key] = IsSecretHeader(header.Key) ? Redactor.MaskHeaderValue(header.Value) : header.Value;
            return shown;
        }

        /// <summary>The request line and headers of a hop as sent (secrets included: clear the array after use).</summary>
        public byte[] Head(WebhookHop hop)
        {
            var text = new StringBuilder();
            text.Append(hop.Method).Append(' ').Append(hop.Uri.PathAndQuery).Append(" HTTP/1.1\r\n");
            foreach (var header in All(hop))
                text.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            text.Append("\r\n");
            byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
            text.Clear();
            return bytes;
        }

        private IEnumerable<KeyValuePair<string, string>> All(WebhookHop hop)
        {
            var target = hop.Uri;
            int bodyLength = hop.Body.Length;
            yield return Pair("Host", target.IsDefaultPort ? target.Host : target.Host + ":" + target.Port.ToString(CultureInfo.InvariantCulture));
            foreach (var header in Headers)
            {
                if (!hop.SendCredentials && IsSecretHeader(header.Key)) continue;
                if (hop.Method == "GET" && bodyLength == 0 && string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)) continue;
                yield return header;
            }
            if (bodyLength > 0 || hop.Method == "POST" || hop.Method == "PUT" || hop.Method == "PATCH")
                yield return Pair("Content-Length", bodyLength.ToString(CultureInfo.InvariantCulture));
            yield return Pair("Connection", "close");
            if (_authorization != null && hop.SendCredentials) yield return Pair("Authorization", _authorization);
            if (hop.Identifier != null)
            {
                yield return Pair(JiraWebhookPayloadBuilder.IdentifierHeader, hop.Identifier);
                if (hop.Retry > 0) yield return Pair(JiraWebhookPayloadBuilder.RetryHeader, hop.Retry.ToString(CultureInfo.InvariantCulture));
            }
            if (_signature != null && bodyLength == Body.Length) yield return Pair(WebhookSignature.HeaderName, _signature);
        }

        private static bool IsManaged(string name) =>
            string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Connection", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase);

        private bool IsSecretHeader(string name) =>
            Redactor.IsSecretNamedHeader(name) || (_request.SecretHeaders?.Any(secret => string.Equals(secret, name, StringComparison.OrdinalIgnoreCase)) ?? false);

        private static KeyValuePair<string, string> Pair(string name, string value) => new KeyValuePair<string, string>(name, value);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http.Wire;
using JiraConnect.Json;
using JiraConnect.Security;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// One request on a listener's connection, as HTTP/1.1: the head within its timeout, framing that two parsers
    /// could read differently refused, path, size and Bearer token checked before a byte of the body is read, the
    /// body within its timeout and its X-Hub-Signature checked; every request that is a delivery is recorded.
    /// </summary>
    internal sealed class ListenerExchange
    {
        private const string TokenProblem = "The request has no valid Authorization: Bearer token.";
        private const string Challenge = "WWW-Authenticate: Bearer realm=\"JiraConnect\", error=\"invalid_token\"";
        private readonly ListenerDeliveryStore _store;
        private readonly string _path;
        private readonly byte[] _tokenHash;
        private readonly string[] _alsoAllowed;
        private byte[] _secret;
        private long _rejected;

        public ListenerExchange(JiraWebhookListenerOptions options, string[] alsoAllowed, ListenerDeliveryStore store)
        {
            _store = store;
            _path = NormalizePath(options.Path);
            _alsoAllowed = alsoAllowed;
            MaxBodyBytes = Math.Max(0, options.MaxBodyBytes);
            if (options.Token != null && options.Token.Length > 0)
                _tokenHash = options.Token.Use(t => Hash(t));
            if (options.Secret != null && options.Secret.Length > 0)
                _secret = options.Secret.Use(s => Encoding.UTF8.GetBytes(s));
        }

        /// <summary>The only path served, or null when every path is.</summary>
        public string Path => _path;
        public bool RequiresToken => _tokenHash != null;
        public bool VerifiesSignature => _secret != null;
        public long MaxBodyBytes { get; }
        public long RejectedCount => Interlocked.Read(ref _rejected);

        /// <summary>Clears the secret from memory (the listener stops).</summary>
        public void ForgetSecret()
        {
            var secret = _secret;
            _secret = null;
            if (secret != null) Array.Clear(secret, 0, secret.Length);
        }

        /// <summary>Serves one request; false when the connection must close.</summary>
        public async Task<bool> ServeOneAsync(ListenerConnection connection)
        {
            HttpHead head;
            using (var timeout = connection.Deadline(JiraWebhookListenerOptions.HeadTimeout))
            {
                try
                {
                    head = await connection.Reader.ReadHeadAsync(HttpMessageReader.DefaultMaxHeadBytes, timeout.Token).ConfigureAwait(false);
                }
                catch (HttpMessageException e)
                {
                    return await BreakAsync(connection, e.StatusCode, e.Message).ConfigureAwait(false);
                }
            }
            if (head == null) return false;

            var line = HttpRequestLine.TryParse(head.StartLine);
            if (line == null) return await BreakAsync(connection, 400, "The request line is not 'METHOD /path HTTP/1.1'.").ConfigureAwait(false);
            long? length;
            try
            {
                // Framing two parsers could read differently is how a second request is smuggled in: refuse and close.
                head.CheckRequestFraming(line.Version);
                length = head.IsChunked ? null : head.ContentLength;
            }
            catch (HttpMessageException e)
            {
                return await BreakAsync(connection, e.StatusCode, e.Message).ConfigureAwait(false);
            }
            var delivery = NewDelivery(connection, head, line, length);

            if (_path != null && !string.Equals(NormalizePath(line.Path), _path, StringComparison.OrdinalIgnoreCase))
                return await RefuseAsync(connection, delivery, 404, "not_found", $"This listener serves {_path} only.").ConfigureAwait(false);
            if (length > MaxBodyBytes)
                return await RefuseAsync(connection, delivery, 413, "too_large", $"The body is larger than {MaxBodyBytes} bytes.").ConfigureAwait(false);
            if (_tokenHash != null)
            {
                // The token decides before a byte of the body is read: a refused body is never read nor kept.
                delivery.TokenValid = CheckToken(head.Get("Authorization"));
                if (delivery.TokenValid == false)
                    return await RefuseAsync(connection, delivery, 401, "invalid_token", TokenProblem, Challenge).ConfigureAwait(false);
                // An authenticated request is not evicted to make room for new connections.
                if (!connection.SetEvictable(false)) return false;
            }
            try
            {
                if (line.Version == "HTTP/1.1" && string.Equals(head.Get("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
                    await HttpResponseWriter.WriteContinueAsync(connection.Stream).ConfigureAwait(false);
                return await ServeBodyAsync(connection, head, delivery, head.WantsClose(line.Version)).ConfigureAwait(false);
            }
            finally
            {
                connection.SetEvictable(true);
            }
        }

        private static JiraWebhookDelivery NewDelivery(ListenerConnection connection, HttpHead head, HttpRequestLine line, long? length) =>
            new JiraWebhookDelivery
            {
                ReceivedAt = DateTimeOffset.Now,
                RemoteEndPoint = connection.Remote,
                Method = line.Method,
                Path = line.Path,
                Query = line.Query,
                Headers = ShownHeaders(head),
                ContentType = head.Get("Content-Type"),
                RawBody = Array.Empty<byte>(),
                BodyLength = length ?? 0,
                WebhookIdentifier = head.Get(JiraWebhookPayloadBuilder.IdentifierHeader),
                WebhookFlow = head.Get(JiraWebhookPayloadBuilder.FlowHeader),
                WebhookRetry = int.TryParse(head.Get(JiraWebhookPayloadBuilder.RetryHeader), NumberStyles.None, CultureInfo.InvariantCulture, out int retry) ? retry : (int?)null,
            };

        private async Task<bool> ServeBodyAsync(ListenerConnection connection, HttpHead head, JiraWebhookDelivery delivery, bool close)
        {
            HttpBody body;
            using (var timeout = connection.Deadline(JiraWebhookListenerOptions.BodyTimeout))
            {
                try
                {
                    body = await connection.Reader.ReadBodyAsync(head, false, MaxBodyBytes, MaxBodyBytes, timeout.Token).ConfigureAwait(false);
                }
                catch (HttpMessageException e)
                {
                    return await RefuseAsync(connection, delivery, e.StatusCode, e.StatusCode == 413 ? "too_large" : "bad_request", e.Message).ConfigureAwait(false);
                }
            }
            delivery.BodyLength = body.Length;

            var secret = _secret;
            if (secret != null)
            {
                string signature = head.Get(WebhookSignature.HeaderName);
                delivery.SignatureValid = WebhookSignature.Verify(signature, secret, body.Kept, _alsoAllowed);
                // A refused body is not kept: only its size and the (masked) headers.
                if (delivery.SignatureValid == false)
                    return await AnswerRejectedAsync(connection, delivery, 401, "invalid_signature", SignatureProblem(signature), close).ConfigureAwait(false);
            }
            delivery.RawBody = body.Kept;

            delivery.StatusCode = 200;
            delivery.Accepted = true;
            var kept = _store.Record(delivery);
            bool duplicate = !ReferenceEquals(kept, delivery);
            string answer = "{\"accepted\":true,\"sequence\":" + kept.Sequence.ToString(CultureInfo.InvariantCulture)
                + ",\"duplicate\":" + (duplicate ? "true" : "false") + "}";
            await RespondAsync(connection, 200, answer, close, null).ConfigureAwait(false);
            return !close;
        }

        private string SignatureProblem(string signature)
        {
            string algorithm = WebhookSignature.AlgorithmOf(signature);
            return algorithm != null && !WebhookSignature.Allows(_alsoAllowed, algorithm)
                ? $"The X-Hub-Signature method {(algorithm.Length > 16 ? algorithm.Substring(0, 16) : algorithm)} is not accepted: Jira signs with sha256 (allow others with -AllowSignatureAlgorithm)."
                : "The X-Hub-Signature header is missing or does not match the body.";
        }

        /// <summary>Answers a request that breaks the protocol (not a delivery: nothing is kept) and closes the connection.</summary>
        private async Task<bool> BreakAsync(ListenerConnection connection, int status, string message)
        {
            Interlocked.Increment(ref _rejected);
            await RespondAsync(connection, status, Problem("bad_request", message), true, null).ConfigureAwait(false);
            await connection.LingerAsync().ConfigureAwait(false);
            return false;
        }

        /// <summary>Answers an error without reading the body, closes the connection gracefully and records the request.</summary>
        private async Task<bool> RefuseAsync(ListenerConnection connection, JiraWebhookDelivery delivery, int status, string code, string message, string extra = null)
        {
            await AnswerRejectedAsync(connection, delivery, status, code, message, true, extra).ConfigureAwait(false);
            await connection.LingerAsync().ConfigureAwait(false);
            return false;
        }

        /// <summary>Records a refused request and answers it; the connection stays usable unless <paramref name="close"/>.</summary>
        private async Task<bool> AnswerRejectedAsync(ListenerConnection connection, JiraWebhookDelivery delivery, int status, string code, string message, bool close, string extra = null)
        {
            delivery.StatusCode = status;
            delivery.RejectionReason = message;
            _store.Record(delivery);
            Interlocked.Increment(ref _rejected);
            await RespondAsync(connection, status, Problem(code, message), close, extra).ConfigureAwait(false);
            return !close;
        }

        private static Task RespondAsync(ListenerConnection connection, int status, string json, bool close, string extra) =>
            HttpResponseWriter.WriteAsync(connection.Stream, status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(json), close, extra);

        private static string Problem(string code, string message) =>
            "{\"accepted\":false,\"error\":\"" + code + "\",\"message\":\"" + JsonText.Escape(message) + "\"}";

        private bool CheckToken(string authorization)
        {
            string value = (authorization ?? string.Empty).Trim();
            int space = value.IndexOf(' ');
            bool bearer = space > 0 && string.Equals(value.Substring(0, space), "Bearer", StringComparison.OrdinalIgnoreCase);
            // Hash both sides so the comparison takes the same time whatever the lengths.
            byte[] presented = Hash(bearer ? value.Substring(space + 1).Trim() : string.Empty);
            return ConstantTime.AreEqual(_tokenHash, presented) & bearer;
        }

        private static byte[] Hash(string text)
        {
            using (var sha = SHA256.Create()) return sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        }

        private static IReadOnlyDictionary<string, string> ShownHeaders(HttpHead head)
        {
            var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in head.Headers)
            {
                string value = header.Value;
                if (Redactor.IsSecretNamedHeader(header.Key)) value = Redactor.MaskHeaderValue(value);
                shown[header.Key] = shown.TryGetValue(header.Key, out var before) ? before + ", " + value : value;
            }
            return shown;
        }

        private static string NormalizePath(string path)
        {
            if (string.IsNullOrWhiteSpace(path) || path.Trim() == "/") return null;
            string p = path.Trim();
            if (!p.StartsWith("/", StringComparison.Ordinal)) p = "/" + p;
            return p.TrimEnd('/');
        }
    }
}

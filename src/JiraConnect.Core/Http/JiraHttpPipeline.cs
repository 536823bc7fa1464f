using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Security;

namespace JiraConnect.Http
{
    /// <summary>
    /// Builds the handler chain: retry → redirect → attempt (timeout, logging, error translation) → authentication →
    /// socket handler. Every attempt and every redirect hop sends a fresh copy of the caller's request (see
    /// <see cref="RequestCopy"/>), so no handler ever resends a message that another one has redirected or signed.
    /// </summary>
    internal static class JiraHttpPipeline
    {
        public static HttpClient Create(JiraConnectionOptions options) => Create(options, new CredentialOrigins(options?.Url));

        /// <summary>The pipeline, adding credentials only to requests for the given origins.</summary>
        public static HttpClient Create(JiraConnectionOptions options, CredentialOrigins origins)
        {
            var socket = new HttpClientHandler
            {
                // The pipeline follows redirects itself, on the same origin only (RedirectHandler).
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseCookies = false,
            };
            if (options.NoProxy)
            {
                socket.UseProxy = false;
            }
            else if (options.Proxy != null)
            {
                socket.UseProxy = true;
                socket.Proxy = new WebProxy(options.Proxy) { Credentials = options.ProxyCredential };
            }
            else if (options.ProxyCredential != null)
            {
                socket.DefaultProxyCredentials = options.ProxyCredential;
            }
            try
            {
                // Parallel work (Test-JiraProjectAccess -ThrottleLimit) needs more than .NET Framework's two connections per host.
                if (socket.MaxConnectionsPerServer < 64) socket.MaxConnectionsPerServer = 64;
            }
            catch (PlatformNotSupportedException)
            {
            }
            catch (NotImplementedException)
            {
            }
            if (options.SkipCertificateCheck)
            {
                socket.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true;
            }

            HttpMessageHandler handler = socket;
            handler = new AuthenticationHandler(options.Authentication, options.AllowUnencryptedAuthentication, origins) { InnerHandler = handler };
            handler = new AttemptHandler(options.Timeout) { InnerHandler = handler };
            handler = new RedirectHandler { InnerHandler = handler };
            var retry = new RetryHandler(options.Retry ?? RetryPolicy.Default) { InnerHandler = handler };
            return new HttpClient(retry, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        /// <summary>Scheme, host and port (never user info), the unit credentials are bound to ("https://example.atlassian.net").</summary>
        public static string Origin(Uri url) => url == null || !url.IsAbsoluteUri ? string.Empty : url.Scheme + "://" + url.Authority;

        public static bool SameOrigin(Uri a, Uri b) =>
            a != null && b != null && a.IsAbsoluteUri && b.IsAbsoluteUri
            && (a.Scheme == Uri.UriSchemeHttp || a.Scheme == Uri.UriSchemeHttps)
            && string.Equals(Origin(a), Origin(b), StringComparison.OrdinalIgnoreCase);

        public static bool IsLoopback(Uri url)
        {
            if (url.IsLoopback) return true;
            return IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip);
        }

        /// <summary>Credentials never travel unencrypted to another machine unless the caller said so.</summary>
        public static void EnsureTransportAllowed(Uri url, bool allowUnencrypted)
        {
            if (url.Scheme == Uri.UriSchemeHttps || allowUnencrypted || IsLoopback(url)) return;
            throw new JiraException(JiraErrorId.UnencryptedAuthenticationRefused, JiraErrorKind.Security,
                "Refusing to send credentials over unencrypted HTTP to " + url.GetLeftPart(UriPartial.Authority) + ".",
                Redactor.Url(url),
                "Use the https:// address of the site. If the site really only speaks HTTP and the network is trusted, pass -AllowUnencryptedAuthentication.");
        }
    }

    /// <summary>
    /// Adds the session's credentials, and only to requests for the session's own origin (its site, or for gateway
    /// sessions the API gateway): whatever URL reaches the pipeline, no other host is ever sent them.
    /// </summary>
    internal sealed class AuthenticationHandler : DelegatingHandler
    {
        private readonly JiraAuthentication _authentication;
        private readonly bool _allowUnencrypted;
        private readonly CredentialOrigins _origins;

        public AuthenticationHandler(JiraAuthentication authentication, bool allowUnencrypted, CredentialOrigins origins)
        {
            _authentication = authentication;
            _allowUnencrypted = allowUnencrypted;
            _origins = origins;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (_authentication == null || !_origins.Allows(request.RequestUri))
            {
                request.Headers.Authorization = null;
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            JiraHttpPipeline.EnsureTransportAllowed(request.RequestUri, _allowUnencrypted);
            request.Headers.Authorization = await _authentication.CreateHeaderAsync(false, cancellationToken).ConfigureAwait(false);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !_authentication.CanRefresh) return response;

            // A token refused before its expiry (revoked, clock skew): refresh once and try again, unless the
            // gateway said the scope is missing, which no refresh cures.
            string body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (body.IndexOf("scope does not match", StringComparison.OrdinalIgnoreCase) >= 0) return response;
            response.Dispose();
            JiraLog.Verbose($"{request.Method} {Redactor.Url(request.RequestUri)} answered 401; refreshing the OAuth token and trying once more.");
            var again = RequestCopy.Create(request, request.RequestUri, request.Method, keepContent: true);
            again.Headers.Authorization = await _authentication.CreateHeaderAsync(true, cancellationToken).ConfigureAwait(false);
            return await base.SendAsync(again, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Follows redirects on the request's own origin (same scheme, host and port), at most five; a redirect anywhere
    /// else is refused with <see cref="JiraErrorId.RedirectRefused"/> before anything is sent there. 307 and 308 keep
    /// the method and body; 301 and 302 turn a POST into a GET, and 303 turns anything but HEAD into a GET, as
    /// browsers and HttpClient do.
    /// </summary>
    internal sealed class RedirectHandler : DelegatingHandler
    {
        internal const int MaxRedirects = 5;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var current = request;
            for (int hop = 0; ; hop++)
            {
                var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
                var location = response.Headers.Location;
                if (!redirect || location == null || hop >= MaxRedirects) return response;

                Uri next;
                try
                {
                    next = location.IsAbsoluteUri ? location : new Uri(current.RequestUri, location);
                }
                catch (UriFormatException)
                {
                    return response;
                }
                if (!JiraHttpPipeline.SameOrigin(next, request.RequestUri))
                {
                    response.Dispose();
                    throw Refused(current, status, next);
                }

                var method = current.Method;
                bool keepContent = true;
                if ((status == 303 && method != HttpMethod.Head) || ((status == 301 || status == 302) && method == HttpMethod.Post))
                {
                    method = HttpMethod.Get;
                    keepContent = false;
                }
                JiraLog.Verbose($"{current.Method} {Redactor.Url(current.RequestUri)} → {status}: following the redirect to {Redactor.Url(next)} on the same site.");
                response.Dispose();
                current = RequestCopy.Create(current, next, method, keepContent);
            }
        }

        private static JiraException Refused(HttpRequestMessage request, int status, Uri next)
        {
            string origin = JiraHttpPipeline.Origin(request.RequestUri);
            string elsewhere = next.IsAbsoluteUri && (next.Scheme == Uri.UriSchemeHttp || next.Scheme == Uri.UriSchemeHttps)
                ? JiraHttpPipeline.Origin(next)
                : next.IsAbsoluteUri ? next.Scheme + ":" : "another address";
            string suggestion = SuggestedSite(next);
            return new JiraException(JiraErrorId.RedirectRefused, JiraErrorKind.Security,
                $"{request.Method} {Redactor.Url(request.RequestUri)} was redirected ({status}) to {elsewhere}, which is not the session's site ({origin}). "
                + "The redirect was not followed: credentials and request bodies go to the session's site only.",
                Redactor.Url(request.RequestUri),
                (suggestion != null ? $"If {elsewhere} is the site's real address (the site moved, or it answers on https:// only), connect with -Url {suggestion}. " : string.Empty)
                + "If it is a single sign-on or proxy login page, use the address that reaches Jira's REST API directly, or a credential the proxy accepts.");
        }

        /// <summary>The site root a redirect target suggests: its origin and the path up to /rest/, without query or user info.</summary>
        private static string SuggestedSite(Uri next)
        {
            if (!next.IsAbsoluteUri || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)) return null;
            string path = next.AbsolutePath;
            int rest = path.IndexOf("/rest/", StringComparison.OrdinalIgnoreCase);
            path = rest >= 0 ? path.Substring(0, rest + 1) : "/";
            return JiraHttpPipeline.Origin(next) + path;
        }
    }

    /// <summary>
    /// Fresh copies of a request for each attempt and redirect hop: same headers (never Authorization or Cookie,
    /// which the authentication handler sets per origin), properties and version; the body is shared, not copied,
    /// from the buffered bytes (<see cref="BufferedContent"/>), so a caller that clears its array clears every copy.
    /// </summary>
    internal static class RequestCopy
    {
        /// <summary>Makes the request's body replayable: a <see cref="BufferedContent"/> (read once if it is not one already).</summary>
        public static async Task BufferAsync(HttpRequestMessage request)
        {
            if (request.Content == null || request.Content is BufferedContent) return;
            var original = request.Content;
            var buffered = new BufferedContent(await original.ReadAsByteArrayAsync().ConfigureAwait(false));
            foreach (var header in original.Headers) buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            request.Content = buffered;
            original.Dispose();
        }

        public static HttpRequestMessage Create(HttpRequestMessage source, Uri uri, HttpMethod method, bool keepContent)
        {
            var copy = new HttpRequestMessage(method, uri) { Version = source.Version };
            foreach (var header in source.Headers)
            {
                if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(header.Key, "Cookie", StringComparison.OrdinalIgnoreCase)) continue;
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
#pragma warning disable CS0618 // HttpRequestMessage.Properties is the netstandard2.0 way to carry per-request options.
            foreach (var property in source.Properties) copy.Properties[property.Key] = property.Value;
#pragma warning restore CS0618
            if (keepContent && source.Content is BufferedContent body)
            {
                var content = new BufferedContent(body.Body);
                foreach (var header in body.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                copy.Content = content;
            }
            return copy;
        }
    }

    /// <summary>One attempt: applies the timeout to headers and body, buffers the body, logs, translates transport failures.</summary>
    internal sealed class AttemptHandler : DelegatingHandler
    {
        private readonly TimeSpan _timeout;

        public AttemptHandler(TimeSpan timeout) { _timeout = timeout; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The redacted URL is needed only for log lines and errors; build it only then.
            string Target() => Redactor.Url(request.RequestUri);
            var clock = Stopwatch.StartNew();
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (_timeout > TimeSpan.Zero && _timeout != Timeout.InfiniteTimeSpan) attempt.CancelAfter(_timeout);
                HttpResponseMessage response = null;
                try
                {
                    if (JiraLog.IsEnabled(JiraLogLevel.Debug) && request.Content != null)
                    {
                        string body = await request.Content.ReadAsStringAsync().ConfigureAwait(false);
                        JiraLog.Debug("Request body: " + Redactor.Text(Truncate(body)));
                    }
                    response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
                    await BufferAsync(response, attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    string target = Target();
                    JiraLog.Verbose($"{request.Method} {target} timed out after {clock.ElapsedMilliseconds} ms");
                    throw new JiraTimeoutException(
                        $"{request.Method} {target} got no complete answer within {_timeout.TotalSeconds:0.#} s.", target);
                }
                catch (Exception e) when (IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    string reason = Describe(e);
                    string target = Target();
                    JiraLog.Verbose($"{request.Method} {target} failed after {clock.ElapsedMilliseconds} ms: {reason}");
                    throw new JiraConnectionException($"{request.Method} {target} failed: {reason}", target, e);
                }

                if (JiraLog.IsEnabled(JiraLogLevel.Verbose))
                    JiraLog.Verbose($"{request.Method} {Target()} → {(int)response.StatusCode} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms)");
                if (JiraLog.IsEnabled(JiraLogLevel.Debug) && response.Content != null)
                {
                    string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    JiraLog.Debug("Response body: " + Redactor.Text(Truncate(body)));
                }
                return response;
            }
        }

        private static async Task BufferAsync(HttpResponseMessage response, CancellationToken token)
        {
            if (response.Content == null) return;
            // Disposing the response aborts a read that ignores the token (older frameworks).
            using (token.Register(response.Dispose))
            {
                var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                byte[] body = await ReadAllAsync(stream, response.Content.Headers.ContentLength, token).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
                var content = new BufferedContent(body);
                foreach (var header in response.Content.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Content = content;
            }
        }

        /// <summary>Reads a body into one array of its exact size: no intermediate copies, no per-request copy buffer.</summary>
        private static async Task<byte[]> ReadAllAsync(Stream stream, long? contentLength, CancellationToken token)
        {
            if (contentLength.HasValue && contentLength.Value <= int.MaxValue)
            {
                var exact = new byte[contentLength.Value];
                int read = 0;
                while (read < exact.Length)
                {
                    int n = await stream.ReadAsync(exact, read, exact.Length - read, token).ConfigureAwait(false);
                    if (n == 0) throw new IOException($"The server closed the connection after {read} of {exact.Length} bytes.");
                    read += n;
                }
                return exact;
            }
            // No length given (chunked or compressed answers): read through a pooled buffer.
            var buffer = new MemoryStream();
            var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int count;
                while ((count = await stream.ReadAsync(chunk, 0, chunk.Length, token).ConfigureAwait(false)) > 0) buffer.Write(chunk, 0, count);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
            }
            return buffer.ToArray();
        }

        private static bool IsTransportFailure(Exception e) =>
            e is HttpRequestException || e is IOException || e is SocketException || e is ObjectDisposedException || e is WebException;

        private static string Describe(Exception e)
        {
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused: return "the connection was refused (nothing listens on that port).";
                        case SocketError.HostNotFound:
                        case SocketError.NoData: return "the host name could not be resolved (DNS).";
                        case SocketError.TimedOut: return "the connection attempt timed out.";
                        case SocketError.ConnectionReset: return "the server reset the connection.";
                    }
                }
                if (inner is System.Security.Authentication.AuthenticationException)
                    return "the TLS handshake failed; the server certificate is not trusted (" + inner.Message + ").";
            }
            string message = e.InnerException?.Message ?? e.Message;
            if (e is HttpRequestException && e.InnerException is IOException)
                return "the server closed the connection without an answer (" + message + ").";
            return Redactor.Text(message);
        }

        private static string Truncate(string text) => text.Length <= 4096 ? text : text.Substring(0, 4096) + "…";
    }

    /// <summary>
    /// Retries idempotent requests answered 429 or 503, waiting at least Retry-After. A Retry-After (or, on a 429,
    /// X-RateLimit-Reset) also pauses every other request of the session through the shared <see cref="RateLimitGate"/>,
    /// so parallel workers back off together instead of each spending its own retries.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        /// <summary>Request property that marks a POST as safe to retry because it only reads (such as permissions/check).</summary>
        internal const string RetryableProperty = "JiraConnect.Retryable";

        private readonly RetryPolicy _policy;

        public RetryHandler(RetryPolicy policy) { _policy = policy; }

        /// <summary>The pause all requests of this client honour.</summary>
        public RateLimitGate Gate { get; } = new RateLimitGate();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await RequestCopy.BufferAsync(request).ConfigureAwait(false);
            for (int retry = 1; ; retry++)
            {
                await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                // A fresh message per attempt: the caller's own request is never redirected, signed or resent.
                var attempt = RequestCopy.Create(request, request.RequestUri, request.Method, keepContent: true);
                var response = await base.SendAsync(attempt, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status != 429 && status != 503) return response;

                TimeSpan? retryAfter = JiraResponse.ParseRetryAfter(response);
                TimeSpan? pause = retryAfter ?? (status == 429 ? JiraResponse.ParseRateLimitReset(response) : null);
                bool paused = pause.HasValue && pause.Value <= _policy.MaxRetryAfter;
                if (paused && Gate.PauseFor(pause.Value))
                {
                    JiraLog.Verbose($"Jira answered {status}{(retryAfter.HasValue ? " with Retry-After" : " with X-RateLimit-Reset")}: every request of this session pauses for {pause.Value.TotalSeconds:0.0} s.");
                }
                if (!IsIdempotent(request.Method) && !IsMarkedRetryable(request)) return response;

                TimeSpan? delay = _policy.GetDelay(retry, retryAfter);
                if (delay == null) return response;

                // With Retry-After the retry waits at the shared gate together with every other request, so that it is
                // not starved by requests that were merely waiting; otherwise it backs off on its own as well.
                bool atGate = paused && retryAfter.HasValue;
                JiraLog.Verbose($"{request.Method} {Redactor.Url(request.RequestUri)} answered {status}; retry {retry} of {_policy.MaxRetries} in {(atGate ? pause.Value : delay.Value).TotalSeconds:0.0} s"
                    + (retryAfter.HasValue ? $" (Retry-After {retryAfter.Value.TotalSeconds:0} s)." : " (backoff)."));
                response.Dispose();
                if (!atGate) await Task.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        internal static bool IsIdempotent(HttpMethod method) =>
            method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Put || method == HttpMethod.Delete;

#pragma warning disable CS0618 // HttpRequestMessage.Properties is the netstandard2.0 way to carry per-request options.
        internal static void MarkRetryable(HttpRequestMessage request) => request.Properties[RetryableProperty] = true;

        private static bool IsMarkedRetryable(HttpRequestMessage request) =>
            request.Properties.TryGetValue(RetryableProperty, out var value) && value is bool flag && flag;
#pragma warning restore CS0618
    }

    /// <summary>
    /// A pause shared by every request of one client: once Jira says "wait", no request of the session is sent
    /// until the time is up. Thread-safe; a longer pause extends a shorter one, never the other way round.
    /// </summary>
    internal sealed class RateLimitGate
    {
        private long _resumeAtTicks;

        /// <summary>When requests may flow again (UTC); in the past when there is no pause.</summary>
        public DateTime ResumeAt => new DateTime(Interlocked.Read(ref _resumeAtTicks), DateTimeKind.Utc);

        /// <summary>Pauses every request for at least <paramref name="wait"/>; true when no pause was in force before.</summary>
        public bool PauseFor(TimeSpan wait)
        {
            long now = DateTime.UtcNow.Ticks;
            long until = now + wait.Ticks;
            while (true)
            {
                long current = Interlocked.Read(ref _resumeAtTicks);
                if (current >= until) return false;
                if (Interlocked.CompareExchange(ref _resumeAtTicks, until, current) == current) return current <= now;
            }
        }

        /// <summary>Completes when no pause is in force.</summary>
        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var wait = ResumeAt - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero) return;
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

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

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Diagnostics;
using JiraConnect.Security;

namespace JiraConnect.Webhooks
{
    /// <summary>One test web request: where, what, and the delivery rules to apply (Jira's by default).</summary>
    public sealed class JiraWebhookRequest
    {
        public static readonly TimeSpan JiraConnectTimeout = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan JiraResponseTimeout = TimeSpan.FromSeconds(20);
        public const int DefaultMaxResponseBodyBytes = 64 * 1024;

        public Uri Uri { get; set; }
        public string Method { get; set; } = "POST";
        public JiraWebhookPayload Payload { get; set; }
        /// <summary>Sent as Authorization: Bearer &lt;token&gt;.</summary>
        public SecureString Token { get; set; }
        /// <summary>More headers; they replace the defaults of the same name (Content-Type, User-Agent).</summary>
        public IDictionary<string, string> Headers { get; set; }
        /// <summary>Names in <see cref="Headers"/> whose values are secret whatever the name says (given as SecureString).</summary>
        public ICollection<string> SecretHeaders { get; set; }
        /// <summary>Signs the body: X-Hub-Signature: sha256=&lt;HMAC&gt;.</summary>
        public SecureString Secret { get; set; }
        public TimeSpan ConnectTimeout { get; set; } = JiraConnectTimeout;
        public TimeSpan ResponseTimeout { get; set; } = JiraResponseTimeout;
        /// <summary>Retries after connection failures, 408, 409, 425, 429 and 5xx (Jira: none).</summary>
        public int MaxRetries { get; set; }
        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>Follow up to five redirects (Jira: no).</summary>
        public bool FollowRedirects { get; set; }
        public bool SkipCertificateCheck { get; set; }
        /// <summary>Send the token over http:// to another computer (refused otherwise).</summary>
        public bool AllowUnencryptedAuthentication { get; set; }
        public int MaxResponseBodyBytes { get; set; } = DefaultMaxResponseBodyBytes;
        /// <summary>For a burst of admin webhooks: a new X-Atlassian-Webhook-Identifier for every request.</summary>
        public bool NewIdentifierPerRequest { get; set; }
    }

    /// <summary>
    /// Sends test web requests the way Jira's "Send web request" does: one connection per request, about 5 s to
    /// connect, 20 s to answer, success = 2xx, no retry, no redirects. It talks HTTP/1.1 over a socket so that each
    /// failure (DNS, refused, connect timeout, untrusted certificate, response timeout) is told apart exactly, on
    /// Windows PowerShell 5.1 and PowerShell 7 alike.
    /// </summary>
    public static class JiraWebhookSender
    {
        private const int MaxRedirects = 5;
        private const long MaxResponseBytesRead = 16L * 1024 * 1024;
        private static readonly string UserAgent = "JiraConnect/" + typeof(JiraWebhookSender).Assembly.GetName().Version.ToString(3) + " (webhook test)";

        /// <summary>The headers that would be sent, secrets masked (for -WhatIf and results).</summary>
        public static IReadOnlyDictionary<string, string> DescribeHeaders(JiraWebhookRequest request)
        {
            var prepared = Prepare(request, reveal: false);
            return prepared.DescribeFor(prepared.Identifier, 0, true, prepared.Method, prepared.Body.Length);
        }

        public static async Task<JiraWebhookResult> SendAsync(JiraWebhookRequest request, CancellationToken cancellationToken)
        {
            var prepared = Prepare(request, reveal: true);
            return await SendPreparedAsync(request, prepared, prepared.Identifier, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends <paramref name="count"/> requests with at most <paramref name="throttleLimit"/> in flight.</summary>
        public static async Task<JiraWebhookBurstResult> SendBurstAsync(JiraWebhookRequest request, int count, int throttleLimit,
            IProgress<int> progress, CancellationToken cancellationToken)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            var prepared = Prepare(request, reveal: true);
            var results = new JiraWebhookResult[count];
            int done = 0;
            var clock = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(throttleLimit))
            {
                var tasks = new List<Task>(count);
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                        int index = i;
                        string identifier = prepared.Identifier != null && request.NewIdentifierPerRequest
                            ? JiraWebhookPayloadBuilder.NewIdentifier() : prepared.Identifier;
                        tasks.Add(Task.Run(async () =>
                        {
                            try
                            {
                                results[index] = await SendPreparedAsync(request, prepared, identifier, cancellationToken).ConfigureAwait(false);
                                progress?.Report(Interlocked.Increment(ref done));
                            }
                            finally
                            {
                                gate.Release();
                            }
                        }, cancellationToken));
                    }
                }
                catch
                {
                    // Stopped early (cancelled): the requests already started finish before the gate goes away.
                    await Task.WhenAll(tasks).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                    throw;
                }
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            clock.Stop();
            return Summarize(request.Uri, results, throttleLimit, clock.Elapsed);
        }

        internal static JiraWebhookBurstResult Summarize(Uri uri, JiraWebhookResult[] results, int throttleLimit, TimeSpan duration)
        {
            var latencies = results.Select(r => r.TotalTime).OrderBy(t => t).ToArray();
            int succeeded = results.Count(r => r.Succeeded);
            var outcomes = results.GroupBy(r => r.Outcome.ToString()).OrderByDescending(g => g.Count())
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            double seconds = Math.Max(duration.TotalSeconds, 1e-6);
            var burst = new JiraWebhookBurstResult
            {
                Uri = uri,
                Count = results.Length,
                ThrottleLimit = throttleLimit,
                Succeeded = succeeded,
                Failed = results.Length - succeeded,
                Outcomes = outcomes,
                Duration = duration,
                DeliveriesPerSecond = succeeded / seconds,
                LatencyMin = latencies[0],
                LatencyP50 = Percentile(latencies, 50),
                LatencyP90 = Percentile(latencies, 90),
                LatencyP99 = Percentile(latencies, 99),
                LatencyMax = latencies[latencies.Length - 1],
                Results = results,
            };
            string failures = burst.Failed == 0 ? string.Empty
                : " Failed: " + string.Join(", ", outcomes.Where(o => o.Key != nameof(JiraWebhookOutcome.Delivered)).Select(o => $"{o.Value} {o.Key}")) + ".";
            burst.Verdict = $"{succeeded} of {results.Length} delivered in {duration.TotalSeconds:0.00} s at {throttleLimit} in parallel "
                + $"({burst.DeliveriesPerSecond:0} per second; latency p50 {Ms(burst.LatencyP50)}, p99 {Ms(burst.LatencyP99)}, max {Ms(burst.LatencyMax)})." + failures;
            return burst;
        }

        /// <summary>Nearest-rank percentile of sorted values.</summary>
        internal static TimeSpan Percentile(TimeSpan[] sorted, double percent)
        {
            if (sorted.Length == 0) return TimeSpan.Zero;
            int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
            return sorted[Math.Min(Math.Max(rank, 1), sorted.Length) - 1];
        }

        private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

        private static async Task<JiraWebhookResult> SendPreparedAsync(JiraWebhookRequest request, PreparedRequest prepared, string identifier, CancellationToken cancellationToken)
        {
            JiraWebhookResult result = null;
            var sentAt = DateTimeOffset.Now;
            for (int attempt = 1; ; attempt++)
            {
                result = await SendFollowingAsync(request, prepared, identifier, attempt - 1, cancellationToken).ConfigureAwait(false);
                result.Attempts = attempt;
                result.SentAt = sentAt;
                if (attempt > request.MaxRetries || !IsRetryable(result)) break;
                JiraLog.Verbose($"{result.Method} {Redactor.Url(result.Uri)}: {result.Outcome}; retry {attempt} of {request.MaxRetries} in {request.RetryInterval.TotalSeconds:0.#} s.");
                await Task.Delay(request.RetryInterval, cancellationToken).ConfigureAwait(false);
            }
            if (result.Attempts > 1)
                result.Verdict += $" ({result.Attempts} attempts; Jira itself would have tried once.)";
            return result;
        }

        private static bool IsRetryable(JiraWebhookResult result)
        {
            if (result.StatusCode is int status)
                return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
            return result.Outcome != JiraWebhookOutcome.CertificateNotTrusted && result.Outcome != JiraWebhookOutcome.DnsFailure;
        }

        private static async Task<JiraWebhookResult> SendFollowingAsync(JiraWebhookRequest request, PreparedRequest prepared, string identifier, int retry, CancellationToken cancellationToken)
        {
            Uri uri = request.Uri;
            string method = prepared.Method;
            byte[] body = prepared.Body;
            bool sameAuthority = true;
            for (int hop = 0; ; hop++)
            {
                var result = await SendOnceAsync(request, prepared, uri, method, body, identifier, retry, sameAuthority, cancellationToken).ConfigureAwait(false);
                if (result.Outcome != JiraWebhookOutcome.Redirected || !request.FollowRedirects || hop >= MaxRedirects
                    || !Uri.TryCreate(uri, result.RedirectLocation ?? string.Empty, out var next)
                    || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
                    return result;
                JiraLog.Verbose($"{method} {Redactor.Url(uri)} → {result.StatusCode}: following the redirect to {Redactor.Url(next)}.");
                if (result.StatusCode != 307 && result.StatusCode != 308)
                {
                    method = "GET";
                    body = Array.Empty<byte>();
                }
                sameAuthority &= string.Equals(next.GetLeftPart(UriPartial.Authority), request.Uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
                uri = next;
            }
        }

        private static async Task<JiraWebhookResult> SendOnceAsync(JiraWebhookRequest request, PreparedRequest prepared, Uri uri, string method, byte[] body,
            string identifier, int retry, bool sendCredentials, CancellationToken cancellationToken)
        {
            var result = new JiraWebhookResult
            {
                Uri = uri,
                Method = method,
                BodyFormat = request.Payload?.Format ?? JiraWebhookBodyFormat.Empty,
                RequestBodyLength = body.Length,
                WebhookIdentifier = identifier,
                RequestHeaders = prepared.DescribeFor(identifier, retry, sendCredentials, method, body.Length),
            };
            var clock = Stopwatch.StartNew();
            Socket socket = null;
            Stream stream = null;
            try
            {
                // Connect: name resolution and TCP, within the connect timeout.
                using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    connect.CancelAfter(request.ConnectTimeout);
                    try
                    {
                        socket = await ConnectAsync(uri, connect.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return Finish(result, clock, JiraWebhookOutcome.ConnectTimeout, null,
                            $"Could not connect within {Seconds(request.ConnectTimeout)}: Jira gives up after about 5 s and does not retry. Check that the host is reachable from Jira's network and that no firewall drops the traffic.",
                            "connect timeout");
                    }
                }
                result.ConnectTime = clock.Elapsed;

                // Answer: TLS, request and the whole response, within the response timeout.
                using (var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                using (answer.Token.Register(() => { try { socket.Dispose(); } catch (ObjectDisposedException) { } }))
                {
                    answer.CancelAfter(request.ResponseTimeout);
                    try
                    {
                        stream = new NetworkStream(socket, ownsSocket: true);
                        if (uri.Scheme == Uri.UriSchemeHttps)
                        {
                            var policy = SslPolicyErrors.None;
                            var ssl = new SslStream(stream, false, (sender, certificate, chain, errors) =>
                            {
                                policy = errors;
                                return errors == SslPolicyErrors.None || request.SkipCertificateCheck;
                            });
                            stream = ssl;
                            try
                            {
                                await ssl.AuthenticateAsClientAsync(uri.IdnHost, null, SslProtocols.None, false).ConfigureAwait(false);
                            }
                            catch (AuthenticationException e) when (!answer.IsCancellationRequested)
                            {
                                if (policy != SslPolicyErrors.None)
                                {
                                    return Finish(result, clock, JiraWebhookOutcome.CertificateNotTrusted, null,
                                        $"TLS certificate not trusted ({DescribePolicy(policy)}): Jira refuses the connection. Use a certificate from a public certificate authority for the listener's host name (Jira Cloud), or import the issuing CA into the Java trust store of Jira Data Center.",
                                        policy.ToString());
                                }
                                return Finish(result, clock, JiraWebhookOutcome.ConnectionFailed, null,
                                    "The TLS handshake failed (" + Redactor.Text(e.Message) + "): Jira could not deliver. Check the listener's TLS configuration (protocol versions, cipher suites).",
                                    Redactor.Text(e.Message));
                            }
                        }

                        byte[] head = prepared.Head(uri, method, body.Length, identifier, retry, sendCredentials);
                        try
                        {
                            await stream.WriteAsync(head, 0, head.Length, answer.Token).ConfigureAwait(false);
                            if (body.Length > 0) await stream.WriteAsync(body, 0, body.Length, answer.Token).ConfigureAwait(false);
                            await stream.FlushAsync(answer.Token).ConfigureAwait(false);
                        }
                        finally
                        {
                            Array.Clear(head, 0, head.Length);
                        }

                        var reader = new HttpMessageReader(stream);
                        HttpHead response;
                        int status;
                        do
                        {
                            response = await reader.ReadHeadAsync(HttpMessageReader.DefaultMaxHeadBytes, answer.Token).ConfigureAwait(false);
                            if (response == null)
                            {
                                answer.Token.ThrowIfCancellationRequested();
                                return Finish(result, clock, JiraWebhookOutcome.ConnectionFailed, null,
                                    "The listener closed the connection without an answer: Jira records a failure and does not retry.", "connection closed");
                            }
                            status = ParseStatus(response.StartLine, out string reason);
                            result.StatusCode = status;
                            result.ReasonPhrase = reason;
                        }
                        while (status >= 100 && status < 200);

                        bool hasBody = method != "HEAD" && status != 204 && status != 304;
                        HttpBody responseBody = new HttpBody { Kept = Array.Empty<byte>() };
                        if (hasBody)
                        {
                            try
                            {
                                responseBody = await reader.ReadBodyAsync(response, true, request.MaxResponseBodyBytes, MaxResponseBytesRead, answer.Token).ConfigureAwait(false);
                            }
                            catch (HttpMessageException e) when (e.StatusCode == 413)
                            {
                                responseBody = new HttpBody { Kept = Array.Empty<byte>(), Length = MaxResponseBytesRead + 1 };
                            }
                        }
                        result.ResponseHeaders = response.Headers
                            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                            .ToDictionary(g => g.Key, g => Redactor.IsSecretHeader(g.Key) ? Redactor.Mask : string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase);
                        result.ResponseBody = WebhookContent.MaskSecrets(Encoding.UTF8.GetString(responseBody.Kept));
                        result.ResponseBodyTruncated = responseBody.Truncated;
                        result.RedirectLocation = response.Get("Location");
                        return Classify(result, clock, status);
                    }
                    catch (Exception e) when (answer.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                        && (e is IOException || e is ObjectDisposedException || e is SocketException || e is OperationCanceledException
                            || e is AuthenticationException || e is HttpMessageException))
                    {
                        return Finish(result, clock, JiraWebhookOutcome.ResponseTimeout, result.StatusCode,
                            $"Timed out: no complete answer within {Seconds(request.ResponseTimeout)}. Jira drops the request after 20 s and does not retry, so the event is lost. Answer quickly (2xx first) and do slow work after responding.",
                            "response timeout");
                    }
                }
            }
            catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
            {
                return Finish(result, clock, ClassifySocket(e), null, DescribeSocket(e, uri), e.SocketErrorCode.ToString());
            }
            catch (HttpMessageException e) when (!cancellationToken.IsCancellationRequested)
            {
                return Finish(result, clock, JiraWebhookOutcome.InvalidResponse, result.StatusCode,
                    "The answer is not valid HTTP (" + e.Message + "): Jira records a failure.", e.Message);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is IOException || e is ObjectDisposedException || e is AuthenticationException))
            {
                var socketError = FindSocketError(e);
                if (socketError != null) return Finish(result, clock, ClassifySocket(socketError), null, DescribeSocket(socketError, uri), socketError.SocketErrorCode.ToString());
                return Finish(result, clock, JiraWebhookOutcome.ConnectionFailed, null,
                    "The connection failed without an answer (" + Redactor.Text(e.Message) + "): Jira records a failure and does not retry.", Redactor.Text(e.Message));
            }
            finally
            {
                stream?.Dispose();
                socket?.Dispose();
                if (JiraLog.IsEnabled(JiraLogLevel.Verbose))
                    JiraLog.Verbose($"{method} {Redactor.Url(uri)} → {(result.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? result.Outcome.ToString())} ({clock.ElapsedMilliseconds} ms)");
            }
        }

        private static async Task<Socket> ConnectAsync(Uri uri, CancellationToken cancellationToken)
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
            {
                addresses = new[] { literal };
            }
            else
            {
                var lookup = Dns.GetHostAddressesAsync(uri.IdnHost);
                addresses = await WithCancellation(lookup, cancellationToken).ConfigureAwait(false);
                if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            }

            SocketException last = null;
            // IPv4 first: listeners bound to 127.0.0.1 are common, and localhost resolves to ::1 first on some systems.
            foreach (var address in addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1))
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await WithCancellation(socket.ConnectAsync(new IPEndPoint(address, uri.Port)), cancellationToken, socket).ConfigureAwait(false);
                    return socket;
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            throw last ?? new SocketException((int)SocketError.HostNotFound);
        }

        /// <summary>Awaits a task that takes no token; cancelling disposes <paramref name="resource"/> and throws.</summary>
        private static async Task WithCancellation(Task task, CancellationToken cancellationToken, IDisposable resource = null)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    resource?.Dispose();
                    _ = task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            await task.ConfigureAwait(false);
        }

        private static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken cancellationToken)
        {
            await WithCancellation((Task)task, cancellationToken).ConfigureAwait(false);
            return task.Result;
        }

        private static JiraWebhookResult Classify(JiraWebhookResult result, Stopwatch clock, int status)
        {
            string what = $"{status} {result.ReasonPhrase}".Trim();
            string time = $"{clock.Elapsed.TotalSeconds:0.000} s";
            if (status >= 200 && status < 300)
                return Finish(result, clock, JiraWebhookOutcome.Delivered, status, $"Delivered: the listener answered {what} in {time}. Jira counts any 2xx as success.", null);
            if (status == 401 && BlamesSignature(result))
                return Finish(result, clock, JiraWebhookOutcome.Unauthorized, status,
                    $"Rejected the signature: the listener answered {what} because X-Hub-Signature is missing, uses a method it does not accept, or does not match the body. Jira records a failure and does not retry; check that the webhook's secret is the listener's secret and that nothing changes the body on the way.", null);
            if (status == 401)
                return Finish(result, clock, JiraWebhookOutcome.Unauthorized, status,
                    $"Rejected the token: the listener answered {what}. Jira records a failure in the rule's audit log and does not retry; check the Authorization: Bearer header of the rule.", null);
            if (status == 403)
                return Finish(result, clock, JiraWebhookOutcome.Forbidden, status,
                    $"Rejected the token: the listener answered {what}. The token or the caller is not allowed; Jira records a failure and does not retry.", null);
            if (status >= 300 && status < 400)
                return Finish(result, clock, JiraWebhookOutcome.Redirected, status,
                    $"Redirect not followed: the listener answered {what}" + (result.RedirectLocation != null ? " to " + Redactor.Text(result.RedirectLocation) : string.Empty)
                    + ". Jira does not follow redirects and records a failure; put the final URL in the rule.", null);
            if (status >= 500)
                return Finish(result, clock, JiraWebhookOutcome.ServerError, status,
                    $"Failed: the listener answered {what}. Jira records a failure and does not retry, so the event is lost.", null);
            return Finish(result, clock, JiraWebhookOutcome.ClientError, status,
                $"Refused: the listener answered {what}. Jira counts only 2xx as success and does not retry; check the URL, method and body.", null);
        }

        /// <summary>
        /// True when a 401 is about the signature, not the token: the answer names the signature and does not
        /// challenge the token (WWW-Authenticate with error="invalid_token").
        /// </summary>
        private static bool BlamesSignature(JiraWebhookResult result)
        {
            result.ResponseHeaders.TryGetValue("WWW-Authenticate", out string challenge);
            if (challenge != null && challenge.IndexOf("invalid_token", StringComparison.OrdinalIgnoreCase) >= 0) return false;
            return (result.ResponseBody ?? string.Empty).IndexOf("signature", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static JiraWebhookResult Finish(JiraWebhookResult result, Stopwatch clock, JiraWebhookOutcome outcome, int? status, string verdict, string reason)
        {
            result.TotalTime = clock.Elapsed;
            result.Outcome = outcome;
            result.StatusCode = status;
            result.Succeeded = outcome == JiraWebhookOutcome.Delivered;
            result.Verdict = verdict;
            result.FailureReason = reason;
            result.ResponseHeaders = result.ResponseHeaders ?? new Dictionary<string, string>();
            result.ResponseBody = result.ResponseBody ?? string.Empty;
            return result;
        }

        private static JiraWebhookOutcome ClassifySocket(SocketException e)
        {
            switch (e.SocketErrorCode)
            {
                case SocketError.ConnectionRefused: return JiraWebhookOutcome.ConnectionRefused;
                case SocketError.HostNotFound:
                case SocketError.NoData:
                case SocketError.TryAgain: return JiraWebhookOutcome.DnsFailure;
                case SocketError.TimedOut: return JiraWebhookOutcome.ConnectTimeout;
                default: return JiraWebhookOutcome.ConnectionFailed;
            }
        }

        private static string DescribeSocket(SocketException e, Uri uri)
        {
            switch (ClassifySocket(e))
            {
                case JiraWebhookOutcome.ConnectionRefused:
                    return $"Refused connection: nothing listens on {uri.Host}:{uri.Port}. Jira records a failure and does not retry; start the listener or fix the port.";
                case JiraWebhookOutcome.DnsFailure:
                    return $"DNS failure: the host name '{uri.Host}' could not be resolved. Jira cannot deliver; check the spelling and that the name resolves on Jira's network (public DNS for Jira Cloud).";
                case JiraWebhookOutcome.ConnectTimeout:
                    return "Could not connect: the connection attempt timed out. Jira gives up after about 5 s and does not retry.";
                default:
                    return $"The connection failed ({e.SocketErrorCode}): Jira records a failure and does not retry.";
            }
        }

        private static SocketException FindSocketError(Exception e)
        {
            for (var inner = e; inner != null; inner = inner.InnerException)
                if (inner is SocketException socket) return socket;
            return null;
        }

        private static string DescribePolicy(SslPolicyErrors errors)
        {
            var parts = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0) parts.Add("the issuer is not trusted or the chain is invalid");
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) parts.Add("the certificate is for another host name");
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) parts.Add("the server sent no certificate");
            return string.Join("; ", parts);
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        private static int ParseStatus(string statusLine, out string reason)
        {
            // HTTP/1.1 200 OK
            string[] parts = statusLine.Split(new[] { ' ' }, 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length != 3
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 100)
                throw new HttpMessageException(400, "the status line is '" + (statusLine.Length > 60 ? statusLine.Substring(0, 60) : statusLine) + "'");
            reason = parts.Length > 2 ? parts[2] : string.Empty;
            return status;
        }

        private static PreparedRequest Prepare(JiraWebhookRequest request, bool reveal)
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
            return new PreparedRequest(request, reveal);
        }

        /// <summary>The parts of a request that are the same for every attempt, with the secrets unwrapped once.</summary>
        private sealed class PreparedRequest
        {
            private readonly JiraWebhookRequest _request;
            private readonly string _authorization;
            private readonly string _signature;

            public PreparedRequest(JiraWebhookRequest request, bool reveal)
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

            public IReadOnlyDictionary<string, string> DescribeFor(string identifier, int retry, bool sendCredentials, string method, int bodyLength)
            {
                var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var header in All(identifier, retry, sendCredentials, method, bodyLength, null))
                    shown[header.Key] = IsSecretHeader(header.Key) ? Redactor.MaskHeaderValue(header.Value) : header.Value;
                return shown;
            }

            public byte[] Head(Uri uri, string method, int bodyLength, string identifier, int retry, bool sendCredentials)
            {
                var text = new StringBuilder();
                text.Append(method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
                foreach (var header in All(identifier, retry, sendCredentials, method, bodyLength, uri))
                    text.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
                text.Append("\r\n");
                byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
                text.Clear();
                return bytes;
            }

            private IEnumerable<KeyValuePair<string, string>> All(string identifier, int retry, bool sendCredentials, string method, int bodyLength, Uri uri)
            {
                var target = uri ?? _request.Uri;
                yield return Pair("Host", target.IsDefaultPort ? target.Host : target.Host + ":" + target.Port.ToString(CultureInfo.InvariantCulture));
                foreach (var header in Headers)
                {
                    if (!sendCredentials && IsSecretHeader(header.Key)) continue;
                    if (method == "GET" && bodyLength == 0 && string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)) continue;
                    yield return header;
                }
                if (bodyLength > 0 || method == "POST" || method == "PUT" || method == "PATCH")
                    yield return Pair("Content-Length", bodyLength.ToString(CultureInfo.InvariantCulture));
                yield return Pair("Connection", "close");
                if (_authorization != null && sendCredentials) yield return Pair("Authorization", _authorization);
                if (identifier != null)
                {
                    yield return Pair(JiraWebhookPayloadBuilder.IdentifierHeader, identifier);
                    if (retry > 0) yield return Pair(JiraWebhookPayloadBuilder.RetryHeader, retry.ToString(CultureInfo.InvariantCulture));
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
}

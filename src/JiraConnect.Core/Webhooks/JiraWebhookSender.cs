using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Diagnostics;
using JiraConnect.Http.Wire;
using JiraConnect.Security;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// Sends test web requests the way Jira's "Send web request" does: one connection per request, about 5 s to
    /// connect, 20 s to answer, success = 2xx, no retry, no redirects. It talks HTTP/1.1 over a socket so that each
    /// failure (DNS, refused, connect timeout, untrusted certificate, response timeout) is told apart exactly, on
    /// Windows PowerShell 5.1 and PowerShell 7 alike.
    /// </summary>
    public static class JiraWebhookSender
    {
        private const int MaxRedirects = 5;

        /// <summary>The headers that would be sent, secrets masked (for -WhatIf and results).</summary>
        public static IReadOnlyDictionary<string, string> DescribeHeaders(JiraWebhookRequest request)
        {
            var prepared = PreparedWebhookRequest.Prepare(request, reveal: false);
            return prepared.Describe(prepared.FirstHop(prepared.Identifier, 0));
        }

        public static async Task<JiraWebhookResult> SendAsync(JiraWebhookRequest request, CancellationToken cancellationToken)
        {
            var prepared = PreparedWebhookRequest.Prepare(request, reveal: true);
            return await SendPreparedAsync(request, prepared, prepared.Identifier, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends <paramref name="count"/> requests with at most <paramref name="throttleLimit"/> in flight.</summary>
        public static async Task<JiraWebhookBurstResult> SendBurstAsync(JiraWebhookRequest request, int count, int throttleLimit,
            IProgress<int> progress, CancellationToken cancellationToken)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            var prepared = PreparedWebhookRequest.Prepare(request, reveal: true);
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
            return WebhookBurstStatistics.Summarize(request.Uri, results, throttleLimit, clock.Elapsed);
        }


        /// <summary>One delivery with its retries (none unless asked: Jira does not retry).</summary>
        private static async Task<JiraWebhookResult> SendPreparedAsync(JiraWebhookRequest request, PreparedWebhookRequest prepared, string identifier, CancellationToken cancellationToken)
        {
            JiraWebhookResult result;
            var sentAt = DateTimeOffset.Now;
            for (int attempt = 1; ; attempt++)
            {
                result = await SendFollowingAsync(request, prepared.FirstHop(identifier, attempt - 1), prepared, cancellationToken).ConfigureAwait(false);
                result.Attempts = attempt;
                result.SentAt = sentAt;
                if (attempt > request.MaxRetries || !IsRetryable(result)) break;
                JiraLog.Verbose($"{result.Method} {Redactor.Url(result.Uri)}: {result.OutcomeKind}; retry {attempt} of {request.MaxRetries} in {request.RetryInterval.TotalSeconds:0.#} s.");
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
            return result.OutcomeKind != JiraWebhookOutcome.CertificateNotTrusted && result.OutcomeKind != JiraWebhookOutcome.DnsFailure;
        }

        /// <summary>One attempt, following redirects when asked (Jira does not).</summary>
        private static async Task<JiraWebhookResult> SendFollowingAsync(JiraWebhookRequest request, WebhookHop hop, PreparedWebhookRequest prepared, CancellationToken cancellationToken)
        {
            for (int redirects = 0; ; redirects++)
            {
                var result = await SendOnceAsync(request, prepared, hop, cancellationToken).ConfigureAwait(false);
                if (result.OutcomeKind != JiraWebhookOutcome.Redirected || !request.FollowRedirects || redirects >= MaxRedirects
                    || !Uri.TryCreate(hop.Uri, result.RedirectLocation ?? string.Empty, out var next)
                    || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
                    return result;
                JiraLog.Verbose($"{hop.Method} {Redactor.Url(hop.Uri)} → {result.StatusCode}: following the redirect to {Redactor.Url(next)}.");
                hop = hop.RedirectedTo(next, result.StatusCode ?? 0, request.Uri);
            }
        }

        /// <summary>One request on its own connection: connect, then exchange; every failure becomes an outcome.</summary>
        private static async Task<JiraWebhookResult> SendOnceAsync(JiraWebhookRequest request, PreparedWebhookRequest prepared, WebhookHop hop, CancellationToken cancellationToken)
        {
            var verdict = new WebhookVerdict(new JiraWebhookResult
            {
                Uri = hop.Uri,
                Method = hop.Method,
                BodyFormatKind = request.Payload?.FormatKind ?? JiraWebhookBodyFormat.Empty,
                RequestBodyLength = hop.Body.Length,
                WebhookIdentifier = hop.Identifier,
                RequestHeaders = prepared.Describe(hop),
            });
            WebhookConnection connection = null;
            try
            {
                connection = await WebhookConnection.OpenAsync(hop.Uri, request.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                verdict.Result.ConnectTime = verdict.Elapsed;
                return await ExchangeAsync(request, prepared, hop, connection, verdict, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (!cancellationToken.IsCancellationRequested)
            {
                return verdict.ConnectTimeout(request.ConnectTimeout);
            }
            catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
            {
                return verdict.SocketFailed(e, hop.Uri);
            }
            catch (HttpMessageException e) when (!cancellationToken.IsCancellationRequested)
            {
                return verdict.InvalidResponse(e, connection?.Status);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is IOException || e is ObjectDisposedException || e is AuthenticationException))
            {
                return verdict.ConnectionFailed(e, hop.Uri);
            }
            finally
            {
                connection?.Dispose();
                if (JiraLog.IsEnabled(JiraLogLevel.Verbose))
                {
                    var result = verdict.Result;
                    JiraLog.Verbose($"{hop.Method} {Redactor.Url(hop.Uri)} → {(result.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? result.OutcomeKind.ToString())} ({(long)verdict.Elapsed.TotalMilliseconds} ms)");
                }
            }
        }

        /// <summary>TLS, the request and the whole answer, within the response timeout.</summary>
        private static async Task<JiraWebhookResult> ExchangeAsync(JiraWebhookRequest request, PreparedWebhookRequest prepared, WebhookHop hop,
            WebhookConnection connection, WebhookVerdict verdict, CancellationToken cancellationToken)
        {
            using (var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (connection.CloseWhen(answer.Token))
            {
                answer.CancelAfter(request.ResponseTimeout);
                try
                {
                    if (hop.Uri.Scheme == Uri.UriSchemeHttps) await connection.SecureAsync(hop.Uri.IdnHost, request.SkipCertificateCheck).ConfigureAwait(false);
                    await connection.SendAsync(prepared.Head(hop), hop.Body, answer.Token).ConfigureAwait(false);
                    var response = await connection.ReceiveAsync(hop.Method, request.MaxResponseBodyBytes, answer.Token).ConfigureAwait(false);
                    if (response != null) return verdict.Answered(response);
                    answer.Token.ThrowIfCancellationRequested();
                    return verdict.ClosedWithoutAnswer();
                }
                catch (WebhookTlsException e) when (!answer.IsCancellationRequested)
                {
                    return verdict.TlsFailed(e);
                }
                catch (Exception e) when (answer.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                    && (e is IOException || e is ObjectDisposedException || e is SocketException || e is OperationCanceledException
                        || e is AuthenticationException || e is HttpMessageException))
                {
                    return verdict.ResponseTimeout(request.ResponseTimeout, connection.Status);
                }
            }
        }
    }
}

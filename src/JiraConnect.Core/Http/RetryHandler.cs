using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Security;

namespace JiraConnect.Http
{
    /// <summary>
    /// Retries idempotent requests answered 429 or 503, waiting at least Retry-After. A Retry-After (or, on a 429,
    /// X-RateLimit-Reset) also pauses every other request of the session through the shared <see cref="RateLimitGate"/>,
    /// so parallel workers back off together instead of each spending its own retries; and the <see cref="BurstPacer"/>
    /// spaces the requests to an endpoint that Jira says is near (or over) its burst limit.
    /// </summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        /// <summary>Request property that marks a POST as safe to retry because it only reads (such as permissions/check).</summary>
        internal const string RetryableProperty = "JiraConnect.Retryable";
        /// <summary>Request property naming the endpoint's route template (such as project/{projectIdOrKey}/role/{id}) for the burst pace.</summary>
        internal const string EndpointProperty = "JiraConnect.Endpoint";

        private readonly RetryPolicy _policy;

        public RetryHandler(RetryPolicy policy) { _policy = policy; }

        /// <summary>The pause all requests of this client honour.</summary>
        public RateLimitGate Gate { get; } = new RateLimitGate();

        /// <summary>The pace of the endpoints near their burst limit.</summary>
        public BurstPacer Pacer { get; } = new BurstPacer();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await RequestCopy.BufferAsync(request).ConfigureAwait(false);
            string endpoint = BurstPacer.EndpointOf(request, EndpointTemplate(request));
            for (int retry = 1; ; retry++)
            {
                // Waits for the shared gate, and for a place in the endpoint's pace when it has one.
                await Pacer.WaitTurnAsync(endpoint, Gate, cancellationToken).ConfigureAwait(false);
                // A fresh message per attempt: the caller's own request is never redirected, signed or resent.
                var attempt = RequestCopy.Create(request, request.RequestUri, request.Method, keepContent: true);
                var response = await base.SendAsync(attempt, cancellationToken).ConfigureAwait(false);
                Pacer.Observe(endpoint, response);
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

        internal static void MarkEndpoint(HttpRequestMessage request, string template) => request.Properties[EndpointProperty] = template;

        private static string EndpointTemplate(HttpRequestMessage request) =>
            request.Properties.TryGetValue(EndpointProperty, out var value) ? value as string : null;
#pragma warning restore CS0618
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Http
{
    /// <summary>
    /// Jira Cloud's burst limit counts the requests to each endpoint in one-second windows (100 GET or POST a second).
    /// Parallel workers reach it within half a second, and every 429 costs the whole session a pause of at least
    /// Retry-After. So once Jira says an endpoint is near its limit (X-RateLimit-NearLimit: true) or over it (429),
    /// the session spaces its requests to that endpoint: no more than the limit in any window, slightly longer than a
    /// second for the difference between sending and arriving. A burst 429 while pacing lowers the pace by a quarter (at most
    /// once a window), each answer within the limit raises it again toward the limit Jira named. Until Jira says so,
    /// nothing waits. Thread-safe; one per client.
    /// </summary>
    internal sealed class BurstPacer
    {
        /// <summary>A second plus the leeway between a request leaving and Jira counting it.</summary>
        internal static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1050);
        /// <summary>Endpoints without recent requests are forgotten once more than this many are known.</summary>
        private const int MaxIdleEndpoints = 256;

        private readonly ConcurrentDictionary<string, EndpointPace> _endpoints = new ConcurrentDictionary<string, EndpointPace>(StringComparer.Ordinal);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastSweepTicks = long.MinValue / 2;

        /// <summary>Requests a second the endpoint is paced to; 0 while it is not paced.</summary>
        public double PaceOf(string endpoint) => _endpoints.TryGetValue(endpoint, out var pace) ? pace.Budget : 0;

        /// <summary>
        /// Waits until a request to <paramref name="endpoint"/> keeps within its pace and <paramref name="gate"/> is open,
        /// then counts it as sent.
        /// </summary>
        public async Task WaitTurnAsync(string endpoint, RateLimitGate gate, CancellationToken ct)
        {
            var pace = _endpoints.GetOrAdd(endpoint, _ => new EndpointPace());
            while (true)
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                TimeSpan wait = pace.TryTake(_clock.Elapsed, Window);
                if (wait <= TimeSpan.Zero) break;
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }
            if (_endpoints.Count > MaxIdleEndpoints) ForgetIdle();
        }

        /// <summary>Learns from an answer to <paramref name="endpoint"/>: a 429 or a near-limit answer starts (or slows) the pace.</summary>
        public void Observe(string endpoint, HttpResponseMessage response)
        {
            if (!_endpoints.TryGetValue(endpoint, out var pace)) return;
            int status = (int)response.StatusCode;
            int? limit = ReadInt(response, "X-RateLimit-Limit");
            if (status == 429 && IsBurst(response))
            {
                if (pace.Limited(_clock.Elapsed, limit, Window)) JiraLog.Verbose($"{endpoint} reached Jira's burst limit: its requests are now paced to {pace.Budget:0} a second.");
            }
            else if (status < 400 && string.Equals(Header(response, "X-RateLimit-NearLimit"), "true", StringComparison.OrdinalIgnoreCase) && limit > 0)
            {
                if (pace.Near(limit.Value)) JiraLog.Verbose($"{endpoint} is near Jira's burst limit: its requests are now paced to {limit.Value} a second.");
            }
            else if (status < 400)
            {
                pace.Answered();
            }
        }

        /// <summary>The endpoint a request counts against: the caller's route template when it gave one, else the method and path.</summary>
        public static string EndpointOf(HttpRequestMessage request, string template) =>
            request.Method.Method + " " + (template ?? request.RequestUri.AbsolutePath);

        /// <summary>A 429 that says it is the burst limit (RateLimit-Reason: jira-burst-based): quotas and others are not a matter of pace.</summary>
        private static bool IsBurst(HttpResponseMessage response)
        {
            string reason = Header(response, "RateLimit-Reason");
            return reason != null && reason.IndexOf("burst", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static string Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        private static int? ReadInt(HttpResponseMessage response, string name) =>
            int.TryParse(Header(response, name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : (int?)null;

        /// <summary>Drops the endpoints idle for a window; at most once a window, so many distinct paths cost one sweep a second, not one a request.</summary>
        private void ForgetIdle()
        {
            var now = _clock.Elapsed;
            long last = Interlocked.Read(ref _lastSweepTicks);
            if (now.Ticks - last < Window.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.Ticks, last) != last) return;
            foreach (var entry in _endpoints)
            {
                if (entry.Value.IsIdle(now, Window)) _endpoints.TryRemove(entry.Key, out _);
            }
        }
    }
}

using System;
using System.Globalization;
using System.Linq;

namespace JiraConnect.Webhooks
{
    /// <summary>What a burst of test requests adds up to: counts by outcome, rate, latency percentiles and one sentence.</summary>
    internal static class WebhookBurstStatistics
    {
        public static JiraWebhookBurstResult Summarize(Uri uri, JiraWebhookResult[] results, int throttleLimit, TimeSpan duration)
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
        public static TimeSpan Percentile(TimeSpan[] sorted, double percent)
        {
            if (sorted.Length == 0) return TimeSpan.Zero;
            int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
            return sorted[Math.Min(Math.Max(rank, 1), sorted.Length) - 1];
        }

        private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
    }
}

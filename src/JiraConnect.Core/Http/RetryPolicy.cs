using System;

namespace JiraConnect.Http
{
    /// <summary>
    /// Atlassian's rate-limit guidance: Retry-After is the minimum wait; without it exponential backoff
    /// (2 s doubling to a 30 s cap) with jitter x0.7-1.3; a bounded number of retries; idempotent methods only.
    /// </summary>
    public sealed class RetryPolicy
    {
        public static RetryPolicy Default => new RetryPolicy();

        /// <summary>Retries after the first attempt (0 disables retrying).</summary>
        public int MaxRetries { get; set; } = 3;
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(2);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>A Retry-After longer than this is not waited for: the request fails at once and says when to try again.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        [ThreadStatic] private static Random _random;

        /// <summary>The wait before retry number <paramref name="retry"/> (1-based), or null when the request must not be retried.</summary>
        public TimeSpan? GetDelay(int retry, TimeSpan? retryAfter)
        {
            if (retry > MaxRetries) return null;
            var random = _random ?? (_random = new Random(Guid.NewGuid().GetHashCode()));
            if (retryAfter.HasValue)
            {
                if (retryAfter.Value > MaxRetryAfter) return null;
                // Retry-After is a minimum: only ever wait longer (x1.0-1.3).
                return TimeSpan.FromMilliseconds(retryAfter.Value.TotalMilliseconds * (1.0 + random.NextDouble() * 0.3));
            }
            double baseMs = InitialDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
            baseMs = Math.Min(baseMs, MaxDelay.TotalMilliseconds);
            double jitter = 0.7 + random.NextDouble() * 0.6;
            return TimeSpan.FromMilliseconds(Math.Min(baseMs * jitter, MaxDelay.TotalMilliseconds));
        }
    }
}

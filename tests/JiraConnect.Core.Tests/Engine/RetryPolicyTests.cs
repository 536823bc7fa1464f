using System;
using System.Collections.Generic;
using System.Linq;
using JiraConnect.Http;
using Xunit;

namespace JiraConnect.Core.Tests.Engine
{
    public class RetryPolicyTests
    {
        private const int Samples = 2000;

        private static List<double> SampleMs(RetryPolicy policy, int retry, TimeSpan? retryAfter)
        {
            var result = new List<double>(Samples);
            for (int i = 0; i < Samples; i++)
            {
                var delay = policy.GetDelay(retry, retryAfter);
                Assert.True(delay.HasValue, $"retry {retry} unexpectedly refused");
                result.Add(delay.Value.TotalMilliseconds);
            }
            return result;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(5)]
        [InlineData(30)]
        public void RetryAfterIsAMinimumAndAtMostThirtyPercentLonger(int seconds)
        {
            var policy = new RetryPolicy { MaxRetries = 3, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) };
            var delays = SampleMs(policy, 2, TimeSpan.FromSeconds(seconds));

            double min = seconds * 1000.0;
            Assert.All(delays, d => Assert.InRange(d, min, min * 1.3));
            // Retry-After wins over the (much shorter) backoff and over MaxDelay; jitter spreads the retries.
            Assert.True(delays.Max() - delays.Min() > min * 0.1, $"no jitter over Retry-After: {delays.Min()}..{delays.Max()}");
        }

        [Fact]
        public void BackoffDoublesFromInitialDelayWithJitterBetweenPoint7And1Point3()
        {
            var policy = new RetryPolicy { MaxRetries = 5, InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(60) };
            for (int retry = 1; retry <= 5; retry++)
            {
                double baseMs = 100 * Math.Pow(2, retry - 1);
                var delays = SampleMs(policy, retry, null);
                Assert.All(delays, d => Assert.InRange(d, baseMs * 0.7, baseMs * 1.3));
                // The jitter really covers the band, not just one point of it.
                Assert.True(delays.Min() < baseMs * 0.8, $"retry {retry}: smallest delay {delays.Min()} never below 0.8x of {baseMs}");
                Assert.True(delays.Max() > baseMs * 1.2, $"retry {retry}: largest delay {delays.Max()} never above 1.2x of {baseMs}");
                double mean = delays.Average();
                Assert.InRange(mean, baseMs * 0.9, baseMs * 1.1);
            }
        }

        [Fact]
        public void BackoffIsCappedAtMaxDelay()
        {
            var policy = new RetryPolicy { MaxRetries = 10, InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3) };
            foreach (int retry in new[] { 3, 5, 10 })
            {
                var delays = SampleMs(policy, retry, null);
                Assert.All(delays, d => Assert.InRange(d, 3000 * 0.7, 3000));
            }
        }

        [Fact]
        public void DefaultsFollowAtlassianGuidance()
        {
            var policy = RetryPolicy.Default;
            Assert.Equal(3, policy.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(2), policy.InitialDelay);
            Assert.Equal(TimeSpan.FromSeconds(30), policy.MaxDelay);
            Assert.NotSame(RetryPolicy.Default, RetryPolicy.Default);
        }

        [Fact]
        public void NoDelayAfterMaxRetries()
        {
            var policy = new RetryPolicy { MaxRetries = 3, InitialDelay = TimeSpan.FromMilliseconds(10) };
            Assert.NotNull(policy.GetDelay(3, null));
            Assert.NotNull(policy.GetDelay(3, TimeSpan.FromSeconds(1)));
            Assert.Null(policy.GetDelay(4, null));
            Assert.Null(policy.GetDelay(4, TimeSpan.FromSeconds(1)));

            var never = new RetryPolicy { MaxRetries = 0 };
            Assert.Null(never.GetDelay(1, null));
            Assert.Null(never.GetDelay(1, TimeSpan.Zero));
        }

        [Fact]
        public void NoDelayWhenRetryAfterExceedsMaxRetryAfter()
        {
            var policy = new RetryPolicy { MaxRetries = 3, MaxRetryAfter = TimeSpan.FromSeconds(60) };
            Assert.Null(policy.GetDelay(1, TimeSpan.FromSeconds(61)));
            Assert.Null(policy.GetDelay(1, TimeSpan.FromHours(1)));
            var atLimit = policy.GetDelay(1, TimeSpan.FromSeconds(60));
            Assert.NotNull(atLimit);
            Assert.True(atLimit.Value >= TimeSpan.FromSeconds(60));
        }

        [Fact]
        public void ZeroRetryAfterRetriesAtOnce()
        {
            var policy = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromSeconds(5) };
            var delay = policy.GetDelay(1, TimeSpan.Zero);
            Assert.Equal(TimeSpan.Zero, delay);
        }
    }
}

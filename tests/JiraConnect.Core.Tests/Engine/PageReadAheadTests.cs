using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;
using Xunit;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>Read-ahead in the page reader: several pages in flight, results still in order and exactly once.</summary>
    public sealed class PageReadAheadTests
    {
        /// <summary>A server of <paramref name="total"/> numbered items that answers after the test releases each request.</summary>
        private sealed class FakeServer
        {
            private readonly int _total;
            private readonly int _serverCap;
            private int _inFlight;
            public int MaxInFlight;
            public readonly List<(long Start, int Size)> Requests = new List<(long, int)>();

            public FakeServer(int total, int serverCap = int.MaxValue) { _total = total; _serverCap = serverCap; }

            public async Task<JiraPage<int>> Fetch(long start, int size, CancellationToken ct)
            {
                lock (Requests) Requests.Add((start, size));
                int now = Interlocked.Increment(ref _inFlight);
                int seen;
                while ((seen = Volatile.Read(ref MaxInFlight)) < now && Interlocked.CompareExchange(ref MaxInFlight, now, seen) != seen) { }
                await Task.Delay(20, ct).ConfigureAwait(false);
                Interlocked.Decrement(ref _inFlight);
                int count = (int)Math.Max(0, Math.Min(Math.Min(size, _serverCap), _total - start));
                var items = Enumerable.Range((int)start, count).ToList();
                return new JiraPage<int>(items, _total, start + count >= _total);
            }
        }

        private static async Task<List<int>> ReadAll(JiraPageReader<int> reader)
        {
            var all = new List<int>();
            JiraPage<int> page;
            while ((page = await reader.NextAsync()) != null) all.AddRange(page.Items);
            return all;
        }

        [Fact]
        public async Task FetchesSeveralPagesAtOnceAndKeepsOrder()
        {
            var server = new FakeServer(1050);
            using (var reader = new JiraPageReader<int>(server.Fetch, 100, 0, long.MaxValue, CancellationToken.None, readAhead: 4))
            {
                var all = await ReadAll(reader);
                Assert.Equal(Enumerable.Range(0, 1050), all);
            }
            Assert.Equal(11, server.Requests.Count);
            Assert.Equal(server.Requests.Select(r => r.Start).Distinct().Count(), server.Requests.Count);
            Assert.InRange(server.MaxInFlight, 2, 4);
            Assert.Equal((1000L, 100), server.Requests.Single(r => r.Start == 1000));
        }

        [Fact]
        public async Task SkipAndFirstNeverFetchBeyondTheSlice()
        {
            var server = new FakeServer(2500);
            using (var reader = new JiraPageReader<int>(server.Fetch, 100, 150, 320, CancellationToken.None, readAhead: 4))
            {
                var all = await ReadAll(reader);
                Assert.Equal(Enumerable.Range(150, 320), all);
            }
            Assert.Equal(new long[] { 150, 250, 350, 450 }, server.Requests.Select(r => r.Start).OrderBy(s => s));
            Assert.Equal(20, server.Requests.Single(r => r.Start == 450).Size);
        }

        [Fact]
        public async Task AServerThatCutsPagesShortFallsBackToOnePageAtATime()
        {
            var server = new FakeServer(230, serverCap: 50);
            using (var reader = new JiraPageReader<int>(server.Fetch, 100, 0, long.MaxValue, CancellationToken.None, readAhead: 4))
            {
                var all = await ReadAll(reader);
                Assert.Equal(Enumerable.Range(0, 230), all);
            }
            Assert.Equal(1, server.MaxInFlight);
            Assert.Equal(new long[] { 0, 50, 100, 150, 200 }, server.Requests.Select(r => r.Start));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Services
{
    /// <summary>One page of results.</summary>
    public sealed class JiraPage<T>
    {
        public JiraPage(IReadOnlyList<T> items, long? total, bool isLast)
        {
            Items = items ?? Array.Empty<T>();
            Total = total;
            IsLast = isLast;
        }

        public IReadOnlyList<T> Items { get; }
        /// <summary>The total across all pages, when the server says.</summary>
        public long? Total { get; }
        public bool IsLast { get; }
    }

    /// <summary>
    /// Reads offset-paged results one page at a time and in order, while fetching the next pages in the
    /// background: once the server has shown that it honours the page size and has said the total, up to
    /// <c>readAhead</c> pages are in flight at once (offsets are then known in advance), otherwise one.
    /// Honours skip and first (SupportsPaging) without over-fetching.
    /// </summary>
    public sealed class JiraPageReader<T> : IDisposable
    {
        public delegate Task<JiraPage<T>> PageFetch(long startAt, int maxResults, CancellationToken cancellationToken);

        private readonly PageFetch _fetch;
        private readonly int _pageSize;
        private readonly int _readAhead;
        private readonly long _limit;
        private readonly CancellationToken _cancellationToken;
        private readonly Queue<(long Start, int Size, Task<JiraPage<T>> Task)> _inFlight = new Queue<(long, int, Task<JiraPage<T>>)>();
        private long _startAt;
        private long _scheduledEnd;
        private bool _predictable;
        private bool _done;

        public JiraPageReader(PageFetch fetch, int pageSize, long skip, long first, CancellationToken cancellationToken, int readAhead = 1)
        {
            _fetch = fetch;
            _pageSize = pageSize;
            _readAhead = Math.Max(1, readAhead);
            _startAt = Math.Max(0, skip);
            _scheduledEnd = _startAt;
            _limit = first <= 0 ? _startAt : (first > long.MaxValue - _startAt ? long.MaxValue : _startAt + first);
            _done = _limit <= _startAt;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The total reported by the server with the first page, if any.</summary>
        public long? Total { get; private set; }

        /// <summary>Every remaining item, page after page, then disposes the reader.</summary>
        internal async Task<List<T>> ReadAllAsync()
        {
            using (this)
            {
                var items = new List<T>();
                JiraPage<T> page;
                while ((page = await NextAsync().ConfigureAwait(false)) != null) items.AddRange(page.Items);
                return items;
            }
        }

        /// <summary>The next page, or null when there are no more.</summary>
        public async Task<JiraPage<T>> NextAsync()
        {
            if (_done) return null;
            if (_inFlight.Count == 0) Schedule();
            var (start, size, task) = _inFlight.Dequeue();
            var page = await task.ConfigureAwait(false);
            if (Total == null) Total = page.Total;

            IReadOnlyList<T> items = page.Items;
            long wanted = _limit - start;
            if (items.Count > wanted)
            {
                var cut = new List<T>((int)wanted);
                for (int i = 0; i < wanted; i++) cut.Add(items[i]);
                items = cut;
            }
            _startAt = start + page.Items.Count;
            _done = page.IsLast || page.Items.Count == 0 || _startAt >= _limit || (page.Total.HasValue && _startAt >= page.Total.Value);
            // Offsets can be computed ahead only while the server returns full pages and says the total.
            _predictable = page.Total.HasValue && page.Items.Count == size;
            if (_done || !_predictable)
            {
                DropInFlight();
                _scheduledEnd = _startAt;
            }
            if (!_done)
            {
                int depth = _predictable ? _readAhead : 1;
                while (_inFlight.Count < depth && Schedule()) { }
            }
            return new JiraPage<T>(items, page.Total, _done);
        }

        /// <summary>Starts the fetch of the next unscheduled page; false when nothing is left to fetch.</summary>
        private bool Schedule()
        {
            long end = _limit;
            if (Total.HasValue && Total.Value < end) end = Total.Value;
            if (_inFlight.Count > 0 && _scheduledEnd >= end) return false;
            long size = Math.Min(_pageSize, _limit - _scheduledEnd);
            if (size <= 0) return false;
            var task = _fetch(_scheduledEnd, (int)size, _cancellationToken);
            _inFlight.Enqueue((_scheduledEnd, (int)size, task));
            _scheduledEnd += size;
            return true;
        }

        private void DropInFlight()
        {
            // Pages fetched ahead that nobody reads: observe their outcome so none surfaces as an unobserved exception.
            while (_inFlight.Count > 0)
                _inFlight.Dequeue().Task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        }

        public void Dispose()
        {
            DropInFlight();
            _done = true;
        }
    }
}

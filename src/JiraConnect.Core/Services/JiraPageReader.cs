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
    /// Reads offset-paged results one page at a time, fetching the next page while the caller
    /// handles the current one. Honours skip and first (SupportsPaging) without over-fetching.
    /// </summary>
    public sealed class JiraPageReader<T> : IDisposable
    {
        public delegate Task<JiraPage<T>> PageFetch(long startAt, int maxResults, CancellationToken cancellationToken);

        private readonly PageFetch _fetch;
        private readonly int _pageSize;
        private readonly CancellationToken _cancellationToken;
        private long _startAt;
        private long _remaining;
        private Task<JiraPage<T>> _pending;
        private bool _done;

        public JiraPageReader(PageFetch fetch, int pageSize, long skip, long first, CancellationToken cancellationToken)
        {
            _fetch = fetch;
            _pageSize = pageSize;
            _startAt = Math.Max(0, skip);
            _remaining = first <= 0 ? 0 : first;
            _done = _remaining == 0;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The total reported by the server with the first page, if any.</summary>
        public long? Total { get; private set; }

        /// <summary>The next page, or null when there are no more.</summary>
        public async Task<JiraPage<T>> NextAsync()
        {
            if (_done) return null;
            var task = _pending ?? Fetch();
            _pending = null;
            var page = await task.ConfigureAwait(false);
            if (Total == null) Total = page.Total;

            IReadOnlyList<T> items = page.Items;
            if (items.Count > _remaining)
            {
                var cut = new List<T>((int)_remaining);
                for (int i = 0; i < _remaining; i++) cut.Add(items[i]);
                items = cut;
            }
            _startAt += page.Items.Count;
            _remaining -= items.Count;
            _done = page.IsLast || page.Items.Count == 0 || _remaining <= 0 || (page.Total.HasValue && _startAt >= page.Total.Value);
            if (!_done) _pending = Fetch();
            return new JiraPage<T>(items, page.Total, _done);
        }

        private Task<JiraPage<T>> Fetch() =>
            _fetch(_startAt, (int)Math.Min(_pageSize, _remaining), _cancellationToken);

        public void Dispose()
        {
            // A prefetched page nobody reads: observe its outcome so it never surfaces as an unobserved exception.
            _pending?.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            _pending = null;
            _done = true;
        }
    }
}

using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Services
{
    /// <summary>An unbounded multi-producer, multi-consumer queue that consumers can await, and that can be completed.</summary>
    internal sealed class AsyncQueue<T>
    {
        private readonly ConcurrentQueue<T> _items = new ConcurrentQueue<T>();
        private readonly SemaphoreSlim _available = new SemaphoreSlim(0);
        private volatile bool _completed;

        public void Enqueue(T item)
        {
            _items.Enqueue(item);
            _available.Release();
        }

        /// <summary>No more items will come; waiting consumers get (false, default) once the queue is empty.</summary>
        public void Complete()
        {
            if (_completed) return;
            _completed = true;
            _available.Release();
        }

        /// <summary>The next item, waiting for one; (false, default) when the queue is completed and empty.</summary>
        public async Task<(bool Ok, T Item)> DequeueAsync(CancellationToken ct)
        {
            while (true)
            {
                await _available.WaitAsync(ct).ConfigureAwait(false);
                if (_items.TryDequeue(out var item)) return (true, item);
                if (_completed)
                {
                    // Pass the completion signal on to the next waiting consumer.
                    _available.Release();
                    return (false, default(T));
                }
            }
        }

        /// <summary>An item that is already there, without waiting.</summary>
        public bool TryDequeueNow(out T item)
        {
            item = default(T);
            if (!_available.Wait(0)) return false;
            if (_items.TryDequeue(out item)) return true;
            _available.Release();
            return false;
        }
    }
}

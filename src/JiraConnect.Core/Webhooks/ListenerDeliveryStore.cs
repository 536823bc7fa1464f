using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// The deliveries a listener keeps: each accepted X-Atlassian-Webhook-Identifier once (a repeat is counted on the
    /// first), the oldest dropped beyond a count or a number of bytes, and waiting readers woken as deliveries arrive.
    /// </summary>
    internal sealed class ListenerDeliveryStore
    {
        private readonly object _gate = new object();
        private readonly int _capacity;
        // Kept deliveries are _deliveries[_first..]; dropped ones before _first are null until the list is compacted.
        private readonly List<JiraWebhookDelivery> _deliveries = new List<JiraWebhookDelivery>();
        private readonly Dictionary<string, JiraWebhookDelivery> _byIdentifier = new Dictionary<string, JiraWebhookDelivery>(StringComparer.Ordinal);
        private TaskCompletionSource<bool> _arrived = NewSignal();
        private int _first;
        private int _received; // index in _deliveries of the first delivery not yet taken; never below _first
        private long _storedBytes;
        private long _sequence;
        private long _duplicates;
        private long _dropped;
        private bool _closed;

        public ListenerDeliveryStore(int capacity, long maxStoredBytes)
        {
            _capacity = Math.Max(1, capacity);
            MaxStoredBytes = Math.Max(0, maxStoredBytes);
        }

        public long MaxStoredBytes { get; }
        public long ReceivedCount { get { lock (_gate) return _sequence; } }
        public long DuplicateCount => Interlocked.Read(ref _duplicates);
        public int PendingCount { get { lock (_gate) return _deliveries.Count - _received; } }
        public long DroppedCount => Interlocked.Read(ref _dropped);
        public long StoredBytes { get { lock (_gate) return _storedBytes; } }

        /// <summary>Every delivery still kept, oldest first (received or not).</summary>
        public IReadOnlyList<JiraWebhookDelivery> GetAll()
        {
            lock (_gate) return _deliveries.GetRange(_first, _deliveries.Count - _first).ToArray();
        }

        /// <summary>Keeps a delivery; a repeated identifier of an accepted delivery is counted on the first one instead, which is returned.</summary>
        public JiraWebhookDelivery Record(JiraWebhookDelivery delivery)
        {
            lock (_gate)
            {
                if (delivery.Accepted && !string.IsNullOrEmpty(delivery.WebhookIdentifier)
                    && _byIdentifier.TryGetValue(delivery.WebhookIdentifier, out var first))
                {
                    first.CountDuplicate();
                    Interlocked.Increment(ref _duplicates);
                    return first;
                }
                delivery.Sequence = ++_sequence;
                delivery.StoredBytes = SizeOf(delivery);
                _deliveries.Add(delivery);
                _storedBytes += delivery.StoredBytes;
                if (delivery.Accepted && !string.IsNullOrEmpty(delivery.WebhookIdentifier))
                    _byIdentifier[delivery.WebhookIdentifier] = delivery;
                // Oldest first, by count and by bytes; the newest delivery always stays.
                while (_deliveries.Count - _first > 1 && (_deliveries.Count - _first > _capacity || _storedBytes > MaxStoredBytes))
                    DropOldest();
                if (_first > 1024 && _first * 2 > _deliveries.Count)
                {
                    _deliveries.RemoveRange(0, _first);
                    _received -= _first;
                    _first = 0;
                }
            }
            Signal();
            return delivery;
        }

        /// <summary>
        /// Takes deliveries not taken before, oldest first: all that are pending when <paramref name="count"/> is 0
        /// (waiting up to <paramref name="timeout"/> for the first when none are), else exactly
        /// <paramref name="count"/>, waiting up to <paramref name="timeout"/>; on timeout or once closed, what arrived.
        /// </summary>
        public async Task<IReadOnlyList<JiraWebhookDelivery>> ReceiveAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (timeout < TimeSpan.Zero) timeout = TimeSpan.Zero;
            var deadline = DateTime.UtcNow + timeout;
            // One timer for the whole wait, however many deliveries wake it; released when the wait ends.
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var expired = Task.Delay(timeout, wait.Token);
                try
                {
                    return await WaitForAsync(count, deadline, expired, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    wait.Cancel();
                }
            }
        }

        /// <summary>No more deliveries will come: waiting readers return what arrived.</summary>
        public void Close()
        {
            lock (_gate) _closed = true;
            Signal();
        }

        private async Task<IReadOnlyList<JiraWebhookDelivery>> WaitForAsync(int count, DateTime deadline, Task expired, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task arrived;
                lock (_gate)
                {
                    int pending = _deliveries.Count - _received;
                    bool enough = count <= 0 ? pending > 0 : pending >= count;
                    if (enough || DateTime.UtcNow >= deadline || _closed)
                    {
                        int take = count <= 0 ? pending : Math.Min(pending, count);
                        var taken = _deliveries.GetRange(_received, take);
                        _received += take;
                        return taken;
                    }
                    arrived = _arrived.Task;
                }
                if (DateTime.UtcNow < deadline) await Task.WhenAny(arrived, expired).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        /// <summary>Drops the oldest delivery kept (under the lock).</summary>
        private void DropOldest()
        {
            var oldest = _deliveries[_first];
            _deliveries[_first] = null;
            _first++;
            if (_received < _first) _received = _first;
            _storedBytes -= oldest.StoredBytes;
            // Only the entry of this very delivery: a rejected one shares its identifier with the accepted retry.
            string id = oldest.WebhookIdentifier;
            if (id != null && _byIdentifier.TryGetValue(id, out var kept) && ReferenceEquals(kept, oldest)) _byIdentifier.Remove(id);
            Interlocked.Increment(ref _dropped);
        }

        /// <summary>What a delivery holds: its body, its header names and values (UTF-16), and a fixed allowance for the rest.</summary>
        private static long SizeOf(JiraWebhookDelivery delivery)
        {
            long size = 256 + (delivery.RawBody?.Length ?? 0);
            foreach (var header in delivery.Headers) size += 2L * (header.Key.Length + header.Value.Length) + 64;
            return size;
        }

        private void Signal()
        {
            TaskCompletionSource<bool> signal;
            lock (_gate)
            {
                signal = _arrived;
                _arrived = NewSignal();
            }
            signal.TrySetResult(true);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

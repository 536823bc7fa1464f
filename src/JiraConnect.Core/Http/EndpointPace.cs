using System;
using System.Collections.Generic;
using System.Linq;

namespace JiraConnect.Http
{
    /// <summary>
    /// One endpoint of <see cref="BurstPacer"/>: when its recent requests were sent, and its pace (requests per window;
    /// 0 while it is not paced) with the ceiling Jira named.
    /// </summary>
    internal sealed class EndpointPace
    {
        private readonly Queue<TimeSpan> _sent = new Queue<TimeSpan>();
        private double _budget;
        private int _ceiling;
        private TimeSpan? _lastSlowdown;

        public double Budget
        {
            get { lock (_sent) return _budget; }
        }

        /// <summary>Counts a request as sent now and returns zero, or returns how long to wait for a place in the window.</summary>
        public TimeSpan TryTake(TimeSpan now, TimeSpan window)
        {
            lock (_sent)
            {
                while (_sent.Count > 0 && _sent.Peek() <= now - window) _sent.Dequeue();
                if (_budget > 0 && _sent.Count >= (int)_budget)
                {
                    // The place of the request that leaves the window when (int)_budget of them are left in it.
                    var oldest = _sent.ElementAt(_sent.Count - (int)_budget);
                    return oldest + window - now + TimeSpan.FromMilliseconds(1);
                }
                _sent.Enqueue(now);
                return TimeSpan.Zero;
            }
        }

        /// <summary>Jira said the endpoint is near its limit: pace it to that limit, unless it is paced already.</summary>
        public bool Near(int limit)
        {
            lock (_sent)
            {
                if (_budget > 0) return false;
                _ceiling = limit;
                _budget = limit;
                return true;
            }
        }

        /// <summary>
        /// A 429: pace to the limit Jira named (or to what was sent in the last window); when already paced, a quarter
        /// slower, once a window (the 429s of requests that were on their way together count once).
        /// </summary>
        public bool Limited(TimeSpan now, int? limit, TimeSpan window)
        {
            lock (_sent)
            {
                if (_lastSlowdown.HasValue && now - _lastSlowdown.Value < window) return false;
                _lastSlowdown = now;
                if (_budget <= 0)
                {
                    _ceiling = limit ?? Math.Max(1, _sent.Count - 1);
                    _budget = _ceiling;
                }
                else
                {
                    if (limit.HasValue) _ceiling = limit.Value;
                    _budget = Math.Max(1, Math.Min(_budget, _ceiling) * 0.75);
                }
                return true;
            }
        }

        /// <summary>An answer within the limit: the pace creeps back up toward the ceiling (about one more a second per second).</summary>
        public void Answered()
        {
            lock (_sent)
            {
                if (_budget > 0 && _budget < _ceiling) _budget = Math.Min(_ceiling, _budget + 1 / _budget);
            }
        }

        public bool IsIdle(TimeSpan now, TimeSpan window)
        {
            lock (_sent) return _budget <= 0 && (_sent.Count == 0 || _sent.Last() <= now - window);
        }
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Http
{
    /// <summary>
    /// A pause shared by every request of one client: once Jira says "wait", no request of the session is sent
    /// until the time is up. Thread-safe; a longer pause extends a shorter one, never the other way round.
    /// </summary>
    internal sealed class RateLimitGate
    {
        private long _resumeAtTicks;

        /// <summary>When requests may flow again (UTC); in the past when there is no pause.</summary>
        public DateTime ResumeAt => new DateTime(Interlocked.Read(ref _resumeAtTicks), DateTimeKind.Utc);

        /// <summary>Pauses every request for at least <paramref name="wait"/>; true when no pause was in force before.</summary>
        public bool PauseFor(TimeSpan wait)
        {
            long now = DateTime.UtcNow.Ticks;
            long until = now + wait.Ticks;
            while (true)
            {
                long current = Interlocked.Read(ref _resumeAtTicks);
                if (current >= until) return false;
                if (Interlocked.CompareExchange(ref _resumeAtTicks, until, current) == current) return current <= now;
            }
        }

        /// <summary>Completes when no pause is in force.</summary>
        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var wait = ResumeAt - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero) return;
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

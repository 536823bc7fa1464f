using System.Collections.Generic;
using System.Linq;

namespace JiraConnect
{
    /// <summary>The webhook listeners running in this process; a listener leaves it when it stops.</summary>
    public static class JiraWebhookListenerRegistry
    {
        private static readonly object Gate = new object();
        private static readonly List<JiraWebhookListener> Listeners = new List<JiraWebhookListener>();

        public static JiraWebhookListener Start(JiraWebhookListenerOptions options)
        {
            var listener = JiraWebhookListener.Start(options);
            lock (Gate) Listeners.Add(listener);
            listener.Stopped += (sender, e) => Forget(listener);
            // Stopped before the handler was attached: it will not be raised again.
            if (!listener.IsRunning) Forget(listener);
            return listener;
        }

        /// <summary>The most recently started listener that still runs, or null.</summary>
        public static JiraWebhookListener Latest
        {
            get { lock (Gate) return Listeners.LastOrDefault(l => l.IsRunning); }
        }

        public static IReadOnlyList<JiraWebhookListener> GetAll()
        {
            lock (Gate) return Listeners.ToArray();
        }

        /// <summary>Stops every listener (module removal).</summary>
        public static void StopAll()
        {
            foreach (var listener in GetAll()) listener.Stop();
        }

        private static void Forget(JiraWebhookListener listener)
        {
            lock (Gate) Listeners.Remove(listener);
        }
    }
}

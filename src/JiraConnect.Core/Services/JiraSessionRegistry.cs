using System;
using System.Collections.Generic;
using System.Linq;

namespace JiraConnect
{
    /// <summary>The sessions of this process, by name, and which one is the default.</summary>
    public static class JiraSessionRegistry
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, JiraSession> Sessions = new Dictionary<string, JiraSession>(StringComparer.OrdinalIgnoreCase);
        private static JiraSession _default;

        public static JiraSession Default
        {
            get { lock (Gate) return _default; }
        }

        /// <summary>Adds the session, replacing (and closing) one of the same name, and makes it the default.</summary>
        public static void Add(JiraSession session)
        {
            JiraSession replaced;
            lock (Gate)
            {
                Sessions.TryGetValue(session.Name, out replaced);
                Sessions[session.Name] = session;
                MakeDefault(session);
            }
            if (replaced != null && !ReferenceEquals(replaced, session)) replaced.Dispose();
        }

        public static bool Remove(JiraSession session)
        {
            bool removed;
            lock (Gate)
            {
                removed = Sessions.TryGetValue(session.Name, out var current) && ReferenceEquals(current, session) && Sessions.Remove(session.Name);
                if (ReferenceEquals(_default, session)) MakeDefault(Sessions.Values.OrderBy(s => s.ConnectedAt).LastOrDefault());
            }
            session.Dispose();
            return removed;
        }

        /// <summary>Moves the default to <paramref name="session"/> (or to none), keeping each session's IsDefault in step; under the lock.</summary>
        private static void MakeDefault(JiraSession session)
        {
            if (_default != null) _default.IsDefault = false;
            _default = session;
            if (session != null) session.IsDefault = true;
        }

        public static JiraSession Get(string name)
        {
            lock (Gate) return Sessions.TryGetValue(name, out var s) ? s : null;
        }

        /// <summary>The session of that name; else a closed stand-in that <see cref="IsUnresolved"/> recognises, so that the caller can report SessionNotFound.</summary>
        public static JiraSession GetOrUnresolved(string name) => Get(name) ?? JiraSession.Unresolved(name);

        /// <summary>True when the session is the stand-in for a name that named no session.</summary>
        public static bool IsUnresolved(JiraSession session) => session != null && session.IsUnresolved;

        public static IReadOnlyList<JiraSession> GetAll()
        {
            lock (Gate) return Sessions.Values.OrderBy(s => s.ConnectedAt).ToList();
        }
    }
}

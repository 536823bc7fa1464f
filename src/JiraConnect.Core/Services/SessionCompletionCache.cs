using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace JiraConnect.Services
{
    /// <summary>What tab completion remembers about a session (project keys, role names), kept beside it for as long as it lives.</summary>
    internal sealed class SessionCompletionCache
    {
        private static readonly ConditionalWeakTable<JiraSession, SessionCompletionCache> Caches = new ConditionalWeakTable<JiraSession, SessionCompletionCache>();

        public static SessionCompletionCache Of(JiraSession session) => Caches.GetValue(session, _ => new SessionCompletionCache());

        /// <summary>Project keys cached for tab completion, and when they were read.</summary>
        public IReadOnlyList<string> ProjectKeys { get; set; }
        public DateTimeOffset ProjectKeysAt { get; set; }

        /// <summary>Project role names the session has read, for tab completion of -Role.</summary>
        public IReadOnlyList<string> RoleNames { get; set; }
    }
}

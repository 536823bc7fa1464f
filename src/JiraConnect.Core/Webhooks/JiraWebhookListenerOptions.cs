using System;
using System.Collections.Generic;
using System.Net;
using System.Security;

namespace JiraConnect
{
    /// <summary>How a webhook listener is set up.</summary>
    public sealed class JiraWebhookListenerOptions
    {
        public const long DefaultMaxBodyBytes = 1024 * 1024;
        public const int DefaultCapacity = 100_000;
        /// <summary>128 MB of bodies and headers kept in total by default.</summary>
        public const long DefaultMaxStoredBytes = 128L * 1024 * 1024;
        /// <summary>Open connections at most; beyond it new connections are closed unless an idle one can be evicted.</summary>
        public const int MaxConnections = 1024;
        /// <summary>Open connections from one client address at most; a new one evicts that client's oldest idle connection.</summary>
        public const int MaxConnectionsPerClient = 256;
        /// <summary>Slots kept free: with fewer free, each new connection evicts the oldest idle one of the busiest client.</summary>
        public const int ReservedConnections = 128;
        /// <summary>A connection that sends no byte of a request (new, or between keep-alive requests) this long is closed.</summary>
        public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);
        /// <summary>The request head must be complete this long after its first byte.</summary>
        public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);
        /// <summary>An accepted request's body must be complete this long after its head.</summary>
        public static readonly TimeSpan BodyTimeout = TimeSpan.FromSeconds(30);

        /// <summary>The address to bind; 127.0.0.1 by default.</summary>
        public IPAddress Address { get; set; } = IPAddress.Loopback;
        /// <summary>0 lets the system choose a free port.</summary>
        public int Port { get; set; }
        /// <summary>Only this path is served (others get 404); null serves every path.</summary>
        public string Path { get; set; }
        /// <summary>The Bearer token requests must carry; null accepts requests without one.</summary>
        public SecureString Token { get; set; }
        /// <summary>The secret of X-Hub-Signature: sha256=&lt;HMAC of the body&gt;; null does not check signatures.</summary>
        public SecureString Secret { get; set; }
        /// <summary>Bodies larger than this are answered 413.</summary>
        public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;
        /// <summary>Deliveries kept; the oldest are dropped beyond it.</summary>
        public int Capacity { get; set; } = DefaultCapacity;
        /// <summary>Bytes of bodies and headers kept in total; the oldest deliveries are dropped beyond it (the newest is always kept).</summary>
        public long MaxStoredBytes { get; set; } = DefaultMaxStoredBytes;
        /// <summary>Signature methods accepted besides sha256 (sha1, sha512); Jira signs with sha256 only.</summary>
        public IList<string> AllowedSignatureAlgorithms { get; set; }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Webhooks;

namespace JiraConnect
{
    /// <summary>
    /// A local HTTP/1.1 listener for Jira's web requests, on a plain TcpListener (no http.sys, so no URL
    /// reservation and no administrator rights on Windows). It checks the Bearer token in constant time and, when
    /// it has a secret, the X-Hub-Signature HMAC; answers 401 for a bad token or signature, 413 for an oversized
    /// body and 200 otherwise; keeps every request as a <see cref="JiraWebhookDelivery"/>; and keeps a repeated
    /// X-Atlassian-Webhook-Identifier only once.
    /// </summary>
    public sealed class JiraWebhookListener : IDisposable
    {
        private static int _lastId;
        private readonly ListenerServer _server;
        private readonly ListenerExchange _exchange;
        private readonly ListenerDeliveryStore _store;
        private readonly string[] _alsoAllowed;
        private int _stopped;

        private JiraWebhookListener(JiraWebhookListenerOptions options)
        {
            _alsoAllowed = (options.AllowedSignatureAlgorithms ?? new string[0])
                .Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim().ToLowerInvariant()).Distinct().ToArray();
            foreach (string algorithm in _alsoAllowed)
                if (algorithm != WebhookSignature.DefaultAlgorithm && !WebhookSignature.OptionalAlgorithms.Contains(algorithm))
                    throw new ArgumentException($"'{algorithm}' is not a signature method: use sha1 or sha512.", nameof(options));
            _store = new ListenerDeliveryStore(options.Capacity, options.MaxStoredBytes);
            _exchange = new ListenerExchange(options, _alsoAllowed, _store);
            _server = new ListenerServer(options.Address ?? IPAddress.Loopback, options.Port, _exchange);
            VerifiesSignature = _exchange.VerifiesSignature;
            Id = Interlocked.Increment(ref _lastId);
        }

        /// <summary>Binds and starts accepting; throws ListenerStartFailed when the address or port cannot be used.</summary>
        public static JiraWebhookListener Start(JiraWebhookListenerOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Port < 0 || options.Port > 65535) throw new ArgumentOutOfRangeException(nameof(options), "The port must be between 0 and 65535.");
            var listener = new JiraWebhookListener(options);
            IPEndPoint endpoint;
            try
            {
                endpoint = listener._server.Start();
            }
            catch (SocketException e)
            {
                listener.Dispose();
                string where = $"{options.Address ?? IPAddress.Loopback}:{options.Port}";
                throw new JiraException(JiraErrorId.ListenerStartFailed, JiraErrorKind.ResourceUnavailable,
                    $"The webhook listener could not bind {where}: {e.SocketErrorCode}.", where,
                    e.SocketErrorCode == SocketError.AddressAlreadyInUse
                        ? "Another program uses that port: pass another -Port, or 0 to let the system choose a free one."
                        : "Bind an address of this computer (127.0.0.1 by default) and a port you may use.", e);
            }
            listener.Address = endpoint.Address;
            listener.Port = endpoint.Port;
            listener.StartedAt = DateTimeOffset.Now;
            listener.IsRunning = true;
            return listener;
        }

        public int Id { get; }
        public IPAddress Address { get; private set; }
        public int Port { get; private set; }
        /// <summary>The path served; "/" when every path is served.</summary>
        public string Path => _exchange.Path ?? "/";
        /// <summary>The URL to put into the rule (or to send test requests to).</summary>
        public Uri Url
        {
            get
            {
                string host = Address == null ? "127.0.0.1"
                    : Address.Equals(IPAddress.Any) ? "127.0.0.1"
                    : Address.Equals(IPAddress.IPv6Any) ? "[::1]"
                    : Address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + Address + "]"
                    : Address.ToString();
                return new Uri("http://" + host + ":" + Port.ToString(CultureInfo.InvariantCulture) + Path);
            }
        }
        public bool IsRunning { get; private set; }
        public bool RequiresToken => _exchange.RequiresToken;
        public bool VerifiesSignature { get; }
        public long MaxBodyBytes => _exchange.MaxBodyBytes;
        /// <summary>Bytes of bodies and headers kept in total before the oldest deliveries are dropped.</summary>
        public long MaxStoredBytes => _store.MaxStoredBytes;
        /// <summary>The X-Hub-Signature methods accepted: sha256, and sha1 or sha512 when allowed.</summary>
        public IReadOnlyList<string> SignatureAlgorithms => new[] { WebhookSignature.DefaultAlgorithm }.Concat(_alsoAllowed.Where(a => a != WebhookSignature.DefaultAlgorithm)).ToArray();
        public DateTimeOffset StartedAt { get; private set; }

        /// <summary>Deliveries kept (each X-Atlassian-Webhook-Identifier once), accepted and refused.</summary>
        public long ReceivedCount => _store.ReceivedCount;
        /// <summary>Requests that repeated an identifier already kept.</summary>
        public long DuplicateCount => _store.DuplicateCount;
        /// <summary>Requests answered 4xx (bad token or signature, too large, malformed, wrong path).</summary>
        public long RejectedCount => _exchange.RejectedCount;
        /// <summary>Deliveries kept but not yet taken by <see cref="ReceiveAsync"/>.</summary>
        public int PendingCount => _store.PendingCount;
        /// <summary>Deliveries dropped, oldest first, because more than the capacity or more than <see cref="MaxStoredBytes"/> were kept.</summary>
        public long DroppedCount => _store.DroppedCount;
        /// <summary>Bytes of bodies and headers the kept deliveries hold.</summary>
        public long StoredBytes => _store.StoredBytes;
        /// <summary>Connections open now.</summary>
        public int ConnectionCount => _server.Connections.Count;
        /// <summary>Connections closed to make room before they sent a whole request (per-client limit or slots running short), or refused because every slot was busy.</summary>
        public long EvictedConnectionCount => _server.Connections.EvictedCount;

        /// <summary>Raised once when the listener stops.</summary>
        internal event EventHandler Stopped;

        /// <summary>Every delivery still kept, oldest first (received or not).</summary>
        public IReadOnlyList<JiraWebhookDelivery> GetDeliveries() => _store.GetAll();

        /// <summary>
        /// Takes deliveries not taken before, oldest first: all that are pending when <paramref name="count"/> is 0
        /// (waiting up to <paramref name="timeout"/> for the first when none are), else exactly
        /// <paramref name="count"/>, waiting up to <paramref name="timeout"/>; on timeout, what arrived.
        /// </summary>
        public Task<IReadOnlyList<JiraWebhookDelivery>> ReceiveAsync(int count, TimeSpan timeout, CancellationToken cancellationToken) =>
            _store.ReceiveAsync(count, timeout, cancellationToken);

        /// <summary>Stops listening, closes open connections and forgets the token and secret.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            IsRunning = false;
            _server.Stop();
            _exchange.ForgetSecret();
            _store.Close();
            Stopped?.Invoke(this, EventArgs.Empty);
        }

        public void Dispose() => Stop();

        public override string ToString() => Url.ToString();
    }
}

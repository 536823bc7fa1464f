using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Json;
using JiraConnect.Security;
using JiraConnect.Webhooks;
using JiraConnect.Http.Wire;

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
        private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);

        private readonly TcpListener _listener;
        private readonly byte[] _tokenHash;
        private byte[] _secret;
        private readonly string _path;
        private readonly int _capacity;
        private readonly string[] _alsoAllowed;
        private readonly object _gate = new object();
        // Kept deliveries are _deliveries[_first..]; dropped ones before _first are null until the list is compacted.
        private readonly List<JiraWebhookDelivery> _deliveries = new List<JiraWebhookDelivery>();
        private int _first;
        private long _storedBytes;
        private readonly Dictionary<string, JiraWebhookDelivery> _byIdentifier = new Dictionary<string, JiraWebhookDelivery>(StringComparer.Ordinal);
        private readonly object _connectionGate = new object();
        private readonly Dictionary<IPAddress, LinkedList<Connection>> _byClient = new Dictionary<IPAddress, LinkedList<Connection>>();
        private int _open;
        private long _evicted;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private TaskCompletionSource<bool> _arrived = NewSignal();
        private int _received; // index in _deliveries of the first delivery not yet taken; never below _first
        private long _sequence;
        private long _duplicates;
        private long _rejected;
        private long _dropped;
        private int _stopped;

        private JiraWebhookListener(JiraWebhookListenerOptions options)
        {
            _listener = new TcpListener(options.Address ?? IPAddress.Loopback, options.Port);
            _path = NormalizePath(options.Path);
            _capacity = Math.Max(1, options.Capacity);
            MaxStoredBytes = Math.Max(0, options.MaxStoredBytes);
            _alsoAllowed = (options.AllowedSignatureAlgorithms ?? new string[0])
                .Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim().ToLowerInvariant()).Distinct().ToArray();
            foreach (string algorithm in _alsoAllowed)
                if (algorithm != WebhookSignature.DefaultAlgorithm && !WebhookSignature.OptionalAlgorithms.Contains(algorithm))
                    throw new ArgumentException($"'{algorithm}' is not a signature method: use sha1 or sha512.", nameof(options));
            MaxBodyBytes = Math.Max(0, options.MaxBodyBytes);
            if (options.Token != null && options.Token.Length > 0)
                _tokenHash = options.Token.Use(t => Hash(t));
            if (options.Secret != null && options.Secret.Length > 0)
                _secret = options.Secret.Use(s => Encoding.UTF8.GetBytes(s));
            VerifiesSignature = _secret != null;
            Id = Interlocked.Increment(ref _lastId);
        }

        /// <summary>Binds and starts accepting; throws ListenerStartFailed when the address or port cannot be used.</summary>
        public static JiraWebhookListener Start(JiraWebhookListenerOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Port < 0 || options.Port > 65535) throw new ArgumentOutOfRangeException(nameof(options), "The port must be between 0 and 65535.");
            var listener = new JiraWebhookListener(options);
            try
            {
                listener._listener.Start(512);
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
            var endpoint = (IPEndPoint)listener._listener.LocalEndpoint;
            listener.Address = endpoint.Address;
            listener.Port = endpoint.Port;
            listener.StartedAt = DateTimeOffset.Now;
            listener.IsRunning = true;
            _ = Task.Run(listener.AcceptLoopAsync);
            return listener;
        }

        public int Id { get; }
        public IPAddress Address { get; private set; }
        public int Port { get; private set; }
        /// <summary>The path served; "/" when every path is served.</summary>
        public string Path => _path ?? "/";
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
        public bool RequiresToken => _tokenHash != null;
        public bool VerifiesSignature { get; }
        public long MaxBodyBytes { get; }
        /// <summary>Bytes of bodies and headers kept in total before the oldest deliveries are dropped.</summary>
        public long MaxStoredBytes { get; }
        /// <summary>The X-Hub-Signature methods accepted: sha256, and sha1 or sha512 when allowed.</summary>
        public IReadOnlyList<string> SignatureAlgorithms => new[] { WebhookSignature.DefaultAlgorithm }.Concat(_alsoAllowed.Where(a => a != WebhookSignature.DefaultAlgorithm)).ToArray();
        public DateTimeOffset StartedAt { get; private set; }

        /// <summary>Deliveries kept (each X-Atlassian-Webhook-Identifier once), accepted and refused.</summary>
        public long ReceivedCount { get { lock (_gate) return _sequence; } }
        /// <summary>Requests that repeated an identifier already kept.</summary>
        public long DuplicateCount => Interlocked.Read(ref _duplicates);
        /// <summary>Requests answered 4xx (bad token or signature, too large, malformed, wrong path).</summary>
        public long RejectedCount => Interlocked.Read(ref _rejected);
        /// <summary>Deliveries kept but not yet taken by <see cref="ReceiveAsync"/>.</summary>
        public int PendingCount { get { lock (_gate) return _deliveries.Count - _received; } }
        /// <summary>Deliveries dropped, oldest first, because more than the capacity or more than <see cref="MaxStoredBytes"/> were kept.</summary>
        public long DroppedCount => Interlocked.Read(ref _dropped);
        /// <summary>Bytes of bodies and headers the kept deliveries hold.</summary>
        public long StoredBytes { get { lock (_gate) return _storedBytes; } }
        /// <summary>Connections open now.</summary>
        public int ConnectionCount { get { lock (_connectionGate) return _open; } }
        /// <summary>Connections closed to make room before they sent a whole request (per-client limit or slots running short), or refused because every slot was busy.</summary>
        public long EvictedConnectionCount => Interlocked.Read(ref _evicted);

        /// <summary>Every delivery still kept, oldest first (received or not).</summary>
        public IReadOnlyList<JiraWebhookDelivery> GetDeliveries()
        {
            lock (_gate) return _deliveries.GetRange(_first, _deliveries.Count - _first).ToArray();
        }

        /// <summary>
        /// Takes deliveries not taken before, oldest first: all that are pending when <paramref name="count"/> is 0
        /// (waiting up to <paramref name="timeout"/> for the first when none are), else exactly
        /// <paramref name="count"/>, waiting up to <paramref name="timeout"/>; on timeout, what arrived.
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

        private async Task<IReadOnlyList<JiraWebhookDelivery>> WaitForAsync(int count, DateTime deadline, Task expired, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task arrived;
                lock (_gate)
                {
                    int pending = _deliveries.Count - _received;
                    bool enough = count <= 0 ? pending > 0 : pending >= count;
                    if (enough || DateTime.UtcNow >= deadline || !IsRunning)
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

        /// <summary>Stops listening, closes open connections and forgets the token and secret.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            IsRunning = false;
            try { _stopping.Cancel(); } catch (ObjectDisposedException) { }
            try { _listener.Stop(); } catch (SocketException) { }
            Connection[] open;
            lock (_connectionGate) open = _byClient.Values.SelectMany(c => c).ToArray();
            foreach (var connection in open) Close(connection.Socket);
            var secret = _secret;
            _secret = null;
            if (secret != null) Array.Clear(secret, 0, secret.Length);
            Signal();
            JiraWebhookListenerRegistry.Remove(this);
        }

        public void Dispose() => Stop();

        public override string ToString() => Url.ToString();

        /// <summary>One open connection, in the accept order of its client.</summary>
        private sealed class Connection
        {
            public Socket Socket;
            public IPAddress Client;
            public LinkedListNode<Connection> Node;
            /// <summary>False while an authenticated request is read and answered: such a connection is never evicted.</summary>
            public bool Evictable = true;
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
                {
                    if (_stopping.IsCancellationRequested) return;
                    continue;
                }
                // Never wait for a slot: a waiting accept loop lets idle clients starve a real delivery in the backlog.
                var connection = Admit(socket);
                if (connection != null) _ = Task.Run(() => ServeAsync(connection));
            }
        }

        /// <summary>
        /// Takes a new connection in, evicting idle ones (no authenticated request in progress) to make room: the
        /// client's oldest when it has <see cref="JiraWebhookListenerOptions.MaxConnectionsPerClient"/> open, and the
        /// busiest client's oldest when fewer than <see cref="JiraWebhookListenerOptions.ReservedConnections"/> slots
        /// are free. Null (and the socket closed) when every slot is busy with authenticated requests.
        /// </summary>
        private Connection Admit(Socket socket)
        {
            var client = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
            var victims = new List<Connection>(2);
            Connection admitted = null;
            lock (_connectionGate)
            {
                if (!_byClient.TryGetValue(client, out var mine)) _byClient[client] = mine = new LinkedList<Connection>();
                if (mine.Count >= JiraWebhookListenerOptions.MaxConnectionsPerClient) Evict(mine, victims);
                if (mine.Count < JiraWebhookListenerOptions.MaxConnectionsPerClient
                    && _open >= JiraWebhookListenerOptions.MaxConnections - JiraWebhookListenerOptions.ReservedConnections)
                {
                    foreach (var busiest in _byClient.Values.OrderByDescending(c => c.Count))
                        if (Evict(busiest, victims)) break;
                }
                if (mine.Count < JiraWebhookListenerOptions.MaxConnectionsPerClient && _open < JiraWebhookListenerOptions.MaxConnections)
                {
                    admitted = new Connection { Socket = socket, Client = client };
                    admitted.Node = mine.AddLast(admitted);
                    _open++;
                }
                else if (mine.Count == 0) _byClient.Remove(client);
            }
            foreach (var victim in victims) Close(victim.Socket);
            if (admitted == null)
            {
                Interlocked.Increment(ref _evicted);
                Close(socket);
            }
            return admitted;
        }

        /// <summary>Removes the oldest evictable connection of a client (under the connection lock); false when none is.</summary>
        private bool Evict(LinkedList<Connection> connections, List<Connection> victims)
        {
            for (var node = connections.First; node != null; node = node.Next)
            {
                if (!node.Value.Evictable) continue;
                Forget(node.Value);
                victims.Add(node.Value);
                Interlocked.Increment(ref _evicted);
                return true;
            }
            return false;
        }

        private void Forget(Connection connection)
        {
            var list = connection.Node.List;
            if (list == null) return;
            list.Remove(connection.Node);
            _open--;
            if (list.Count == 0 && _byClient.TryGetValue(connection.Client, out var current) && ReferenceEquals(current, list)) _byClient.Remove(connection.Client);
        }

        /// <summary>Marks a connection as (not) evictable; false when it was evicted already.</summary>
        private bool SetEvictable(Connection connection, bool evictable)
        {
            lock (_connectionGate)
            {
                if (connection.Node.List == null) return false;
                connection.Evictable = evictable;
                return true;
            }
        }

        private async Task ServeAsync(Connection connection)
        {
            var socket = connection.Socket;
            try
            {
                socket.NoDelay = true;
                string remote = socket.RemoteEndPoint?.ToString();
                using (var stream = new NetworkStream(socket, ownsSocket: false))
                {
                    var reader = new HttpMessageReader(stream);
                    while (!_stopping.IsCancellationRequested)
                    {
                        // Idle: a new connection, or one between keep-alive requests, must start a request soon.
                        using (var idle = Deadline(socket, JiraWebhookListenerOptions.IdleTimeout))
                        {
                            if (!await reader.WaitForDataAsync(idle.Token).ConfigureAwait(false)) break;
                        }
                        bool keepOpen = await ServeOneAsync(connection, stream, reader, remote).ConfigureAwait(false);
                        if (!keepOpen) break;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException || e is HttpMessageException)
            {
                // The client went away, was evicted or broke the protocol after the answer: nothing more to do.
            }
            finally
            {
                lock (_connectionGate) Forget(connection);
                Close(socket);
            }
        }

        /// <summary>Serves one request; false when the connection must close.</summary>
        private async Task<bool> ServeOneAsync(Connection connection, Stream stream, HttpMessageReader reader, string remote)
        {
            var socket = connection.Socket;
            HttpHead head;
            using (var timeout = Deadline(socket, JiraWebhookListenerOptions.HeadTimeout))
            {
                try
                {
                    head = await reader.ReadHeadAsync(HttpMessageReader.DefaultMaxHeadBytes, timeout.Token).ConfigureAwait(false);
                }
                catch (HttpMessageException e)
                {
                    return await BreakAsync(socket, stream, e.StatusCode, e.Message).ConfigureAwait(false);
                }
            }
            if (head == null) return false;

            string[] start = head.StartLine.Split(' ');
            if (start.Length != 3 || !HttpMessageReader.IsToken(start[0]) || !start[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                return await BreakAsync(socket, stream, 400, "The request line is not 'METHOD /path HTTP/1.1'.").ConfigureAwait(false);
            string method = start[0];
            string version = start[2] == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
            long? length;
            try
            {
                // Framing two parsers could read differently is how a second request is smuggled in: refuse and close.
                head.CheckRequestFraming(version);
                length = head.IsChunked ? null : head.ContentLength;
            }
            catch (HttpMessageException e)
            {
                return await BreakAsync(socket, stream, e.StatusCode, e.Message).ConfigureAwait(false);
            }
            SplitTarget(start[1], out string path, out string query);

            var delivery = new JiraWebhookDelivery
            {
                ReceivedAt = DateTimeOffset.Now,
                RemoteEndPoint = remote,
                Method = method,
                Path = path,
                Query = query,
                Headers = ShownHeaders(head),
                ContentType = head.Get("Content-Type"),
                RawBody = Array.Empty<byte>(),
                WebhookIdentifier = head.Get(JiraWebhookPayloadBuilder.IdentifierHeader),
                WebhookFlow = head.Get(JiraWebhookPayloadBuilder.FlowHeader),
                WebhookRetry = int.TryParse(head.Get(JiraWebhookPayloadBuilder.RetryHeader), NumberStyles.None, CultureInfo.InvariantCulture, out int retry) ? retry : (int?)null,
            };
            bool close = head.WantsClose(version);
            delivery.BodyLength = length ?? 0;

            if (_path != null && !string.Equals(NormalizePath(path), _path, StringComparison.OrdinalIgnoreCase))
                return await RefuseAsync(socket, stream, delivery, 404, "not_found", $"This listener serves {_path} only.").ConfigureAwait(false);
            if (length > MaxBodyBytes)
                return await RefuseAsync(socket, stream, delivery, 413, "too_large", $"The body is larger than {MaxBodyBytes} bytes.").ConfigureAwait(false);
            const string TokenProblem = "The request has no valid Authorization: Bearer token.";
            const string Challenge = "WWW-Authenticate: Bearer realm=\"JiraConnect\", error=\"invalid_token\"";
            if (_tokenHash != null)
            {
                // The token decides before a byte of the body is read: a refused body is never read nor kept.
                delivery.TokenValid = CheckToken(head.Get("Authorization"));
                if (delivery.TokenValid == false)
                    return await RefuseAsync(socket, stream, delivery, 401, "invalid_token", TokenProblem, Challenge).ConfigureAwait(false);
                // An authenticated request is not evicted to make room for new connections.
                if (!SetEvictable(connection, false)) return false;
            }
            try
            {
                bool expectsContinue = string.Equals(head.Get("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase) && version == "HTTP/1.1";
                if (expectsContinue)
                {
                    byte[] interim = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");
                    await stream.WriteAsync(interim, 0, interim.Length).ConfigureAwait(false);
                }
                return await ServeBodyAsync(socket, stream, reader, head, delivery, close).ConfigureAwait(false);
            }
            finally
            {
                SetEvictable(connection, true);
            }
        }

        private async Task<bool> ServeBodyAsync(Socket socket, Stream stream, HttpMessageReader reader, HttpHead head, JiraWebhookDelivery delivery, bool close)
        {
            HttpBody body;
            using (var timeout = Deadline(socket, JiraWebhookListenerOptions.BodyTimeout))
            {
                try
                {
                    body = await reader.ReadBodyAsync(head, false, MaxBodyBytes, MaxBodyBytes, timeout.Token).ConfigureAwait(false);
                }
                catch (HttpMessageException e)
                {
                    return await RefuseAsync(socket, stream, delivery, e.StatusCode, e.StatusCode == 413 ? "too_large" : "bad_request", e.Message).ConfigureAwait(false);
                }
            }
            delivery.BodyLength = body.Length;

            var secret = _secret;
            if (secret != null)
            {
                string signature = head.Get(WebhookSignature.HeaderName);
                delivery.SignatureValid = WebhookSignature.Verify(signature, secret, body.Kept, _alsoAllowed);
                if (delivery.SignatureValid == false)
                {
                    // A refused body is not kept: only its size and the (masked) headers.
                    string algorithm = WebhookSignature.AlgorithmOf(signature);
                    string message = algorithm != null && !WebhookSignature.Allows(_alsoAllowed, algorithm)
                        ? $"The X-Hub-Signature method {(algorithm.Length > 16 ? algorithm.Substring(0, 16) : algorithm)} is not accepted: Jira signs with sha256 (allow others with -AllowSignatureAlgorithm)."
                        : "The X-Hub-Signature header is missing or does not match the body.";
                    return await AnswerRejectedAsync(stream, delivery, 401, "invalid_signature", message, close, null).ConfigureAwait(false);
                }
            }
            delivery.RawBody = body.Kept;

            delivery.StatusCode = 200;
            delivery.Accepted = true;
            var kept = Record(delivery);
            bool duplicate = !ReferenceEquals(kept, delivery);
            string answer = "{\"accepted\":true,\"sequence\":" + kept.Sequence.ToString(CultureInfo.InvariantCulture)
                + ",\"duplicate\":" + (duplicate ? "true" : "false") + "}";
            await RespondAsync(stream, 200, answer, close, extra: null).ConfigureAwait(false);
            return !close;
        }

        /// <summary>Answers a request that breaks the protocol (not a delivery: nothing is kept) and closes the connection.</summary>
        private async Task<bool> BreakAsync(Socket socket, Stream stream, int status, string message)
        {
            Interlocked.Increment(ref _rejected);
            await RespondAsync(stream, status, Problem("bad_request", message), close: true, extra: null).ConfigureAwait(false);
            await LingerAsync(socket, stream).ConfigureAwait(false);
            return false;
        }

        /// <summary>Answers an error without reading the body, closes the connection gracefully and records the request.</summary>
        private async Task<bool> RefuseAsync(Socket socket, Stream stream, JiraWebhookDelivery delivery, int status, string code, string message, string extra = null)
        {
            delivery.StatusCode = status;
            delivery.RejectionReason = message;
            Record(delivery);
            Interlocked.Increment(ref _rejected);
            await RespondAsync(stream, status, Problem(code, message), close: true, extra: extra).ConfigureAwait(false);
            await LingerAsync(socket, stream).ConfigureAwait(false);
            return false;
        }

        /// <summary>Answers a refusal after the body was read; the connection stays usable.</summary>
        private async Task<bool> AnswerRejectedAsync(Stream stream, JiraWebhookDelivery delivery, int status, string code, string message, bool close, string extra)
        {
            delivery.StatusCode = status;
            delivery.RejectionReason = message;
            Record(delivery);
            Interlocked.Increment(ref _rejected);
            await RespondAsync(stream, status, Problem(code, message), close, extra).ConfigureAwait(false);
            return !close;
        }

        /// <summary>Keeps a delivery; a repeated identifier of an accepted delivery is counted on the first one instead.</summary>
        private JiraWebhookDelivery Record(JiraWebhookDelivery delivery)
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

        private bool CheckToken(string authorization)
        {
            string value = (authorization ?? string.Empty).Trim();
            int space = value.IndexOf(' ');
            bool bearer = space > 0 && string.Equals(value.Substring(0, space), "Bearer", StringComparison.OrdinalIgnoreCase);
            // Hash both sides so the comparison takes the same time whatever the lengths.
            byte[] presented = Hash(bearer ? value.Substring(space + 1).Trim() : string.Empty);
            return WebhookSignature.FixedTimeEquals(_tokenHash, presented) & bearer;
        }

        private static byte[] Hash(string text)
        {
            using (var sha = SHA256.Create()) return sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        }

        private static IReadOnlyDictionary<string, string> ShownHeaders(HttpHead head)
        {
            var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in head.Headers)
            {
                string value = header.Value;
                if (Redactor.IsSecretNamedHeader(header.Key)) value = Redactor.MaskHeaderValue(value);
                shown[header.Key] = shown.TryGetValue(header.Key, out var before) ? before + ", " + value : value;
            }
            return shown;
        }

        private static void SplitTarget(string target, out string path, out string query)
        {
            string pathAndQuery = target;
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
                pathAndQuery = absolute.PathAndQuery;
            int question = pathAndQuery.IndexOf('?');
            path = question >= 0 ? pathAndQuery.Substring(0, question) : pathAndQuery;
            query = question >= 0 ? pathAndQuery.Substring(question + 1) : string.Empty;
            if (path.Length == 0) path = "/";
        }

        private static string NormalizePath(string path)
        {
            if (string.IsNullOrWhiteSpace(path) || path.Trim() == "/") return null;
            string p = path.Trim();
            if (!p.StartsWith("/", StringComparison.Ordinal)) p = "/" + p;
            return p.TrimEnd('/');
        }

        private static string Problem(string code, string message) =>
            "{\"accepted\":false,\"error\":\"" + code + "\",\"message\":\"" + JsonText.Escape(message) + "\"}";

        private static async Task RespondAsync(Stream stream, int status, string json, bool close, string extra)
        {
            byte[] body = Encoding.UTF8.GetBytes(json);
            var head = new StringBuilder()
                .Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason(status)).Append("\r\n")
                .Append("Content-Type: application/json; charset=utf-8\r\n")
                .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
                .Append("Cache-Control: no-store\r\n");
            if (close) head.Append("Connection: close\r\n");
            if (extra != null) head.Append(extra).Append("\r\n");
            head.Append("\r\n");
            byte[] bytes = Encoding.ASCII.GetBytes(head.ToString());
            var message = new byte[bytes.Length + body.Length];
            Buffer.BlockCopy(bytes, 0, message, 0, bytes.Length);
            Buffer.BlockCopy(body, 0, message, bytes.Length, body.Length);
            await stream.WriteAsync(message, 0, message.Length).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }

        private static string Reason(int status)
        {
            switch (status)
            {
                case 200: return "OK";
                case 400: return "Bad Request";
                case 401: return "Unauthorized";
                case 404: return "Not Found";
                case 413: return "Payload Too Large";
                case 431: return "Request Header Fields Too Large";
                case 501: return "Not Implemented";
                default: return "Error";
            }
        }

        /// <summary>
        /// After an early answer the client may still be sending its body; closing at once would reset the
        /// connection and the client might never read the answer. Stop sending, read and discard for a moment, close.
        /// </summary>
        private static async Task LingerAsync(Socket socket, Stream stream)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
                using (var linger = new CancellationTokenSource(LingerTime))
                using (linger.Token.Register(() => Close(socket)))
                {
                    var buffer = new byte[16 * 1024];
                    long discarded = 0;
                    while (discarded < 64L * 1024 * 1024)
                    {
                        int read = await stream.ReadAsync(buffer, 0, buffer.Length, linger.Token).ConfigureAwait(false);
                        if (read <= 0) break;
                        discarded += read;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
            }
        }

        /// <summary>A timeout that closes the socket, so reads that ignore their token (older frameworks) end too.</summary>
        private CancellationTokenSource Deadline(Socket socket, TimeSpan timeout)
        {
            var source = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            source.CancelAfter(timeout);
            source.Token.Register(() => Close(socket));
            return source;
        }

        private static void Close(Socket socket)
        {
            try { socket.Dispose(); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>The webhook listeners running in this process.</summary>
    public static class JiraWebhookListenerRegistry
    {
        private static readonly object Gate = new object();
        private static readonly List<JiraWebhookListener> Listeners = new List<JiraWebhookListener>();

        public static JiraWebhookListener Start(JiraWebhookListenerOptions options)
        {
            var listener = JiraWebhookListener.Start(options);
            lock (Gate) Listeners.Add(listener);
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

        public static JiraWebhookListener Get(int id)
        {
            lock (Gate) return Listeners.FirstOrDefault(l => l.Id == id);
        }

        internal static void Remove(JiraWebhookListener listener)
        {
            lock (Gate) Listeners.Remove(listener);
        }

        /// <summary>Stops every listener (module removal).</summary>
        public static void StopAll()
        {
            foreach (var listener in GetAll()) listener.Stop();
        }
    }
}

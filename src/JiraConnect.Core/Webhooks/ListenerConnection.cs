using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http.Wire;

namespace JiraConnect.Webhooks
{
    /// <summary>One connection a listener took in: its socket, stream and reader, and the timeouts that close it.</summary>
    internal sealed class ListenerConnection
    {
        private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);
        private readonly ListenerConnections _table;
        private readonly CancellationToken _stopping;

        public ListenerConnection(Socket socket, IPAddress client, ListenerConnections table, CancellationToken stopping)
        {
            Socket = socket;
            Client = client;
            _table = table;
            _stopping = stopping;
        }

        public Socket Socket { get; }
        public IPAddress Client { get; }
        /// <summary>Its place among its client's connections, in accept order; no list once it was let go (under the table's lock).</summary>
        internal LinkedListNode<ListenerConnection> Node { get; set; }
        /// <summary>False while an authenticated request is read and answered: such a connection is never evicted (under the table's lock).</summary>
        internal bool Evictable { get; set; } = true;
        public Stream Stream { get; private set; }
        public HttpMessageReader Reader { get; private set; }
        public string Remote { get; private set; }

        public void Open()
        {
            Socket.NoDelay = true;
            Remote = Socket.RemoteEndPoint?.ToString();
            Stream = new NetworkStream(Socket, ownsSocket: false);
            Reader = new HttpMessageReader(Stream);
        }

        /// <summary>Marks the connection as (not) evictable; false when it was evicted already.</summary>
        public bool SetEvictable(bool evictable) => _table.SetEvictable(this, evictable);

        /// <summary>A timeout that closes the socket, so reads that ignore their token (older frameworks) end too.</summary>
        public CancellationTokenSource Deadline(TimeSpan timeout)
        {
            var source = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            source.CancelAfter(timeout);
            source.Token.Register(Close);
            return source;
        }

        /// <summary>
        /// After an early answer the client may still be sending its body; closing at once would reset the
        /// connection and the client might never read the answer. Stop sending, read and discard for a moment, close.
        /// </summary>
        public async Task LingerAsync()
        {
            try
            {
                Socket.Shutdown(SocketShutdown.Send);
                using (var linger = new CancellationTokenSource(LingerTime))
                using (linger.Token.Register(Close))
                {
                    var buffer = new byte[16 * 1024];
                    long discarded = 0;
                    while (discarded < 64L * 1024 * 1024)
                    {
                        int read = await Stream.ReadAsync(buffer, 0, buffer.Length, linger.Token).ConfigureAwait(false);
                        if (read <= 0) break;
                        discarded += read;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
            }
        }

        public void Close()
        {
            try { Socket.Dispose(); } catch (ObjectDisposedException) { }
        }
    }
}

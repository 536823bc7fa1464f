using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// The open connections of a listener by client address, with the limits that keep one client (or many idle
    /// ones) from starving a real delivery: <see cref="JiraWebhookListenerOptions.MaxConnections"/> in all,
    /// <see cref="JiraWebhookListenerOptions.MaxConnectionsPerClient"/> per client and
    /// <see cref="JiraWebhookListenerOptions.ReservedConnections"/> kept free by evicting idle connections.
    /// </summary>
    internal sealed class ListenerConnections
    {
        private readonly object _gate = new object();
        private readonly Dictionary<IPAddress, LinkedList<ListenerConnection>> _byClient = new Dictionary<IPAddress, LinkedList<ListenerConnection>>();
        private readonly CancellationToken _stopping;
        private int _open;
        private long _evicted;

        public ListenerConnections(CancellationToken stopping) { _stopping = stopping; }

        /// <summary>Connections open now.</summary>
        public int Count { get { lock (_gate) return _open; } }
        /// <summary>Connections evicted to make room, or refused because every slot was busy.</summary>
        public long EvictedCount => Interlocked.Read(ref _evicted);

        /// <summary>
        /// Takes a new connection in, evicting idle ones (no authenticated request in progress) to make room: the
        /// client's oldest when it has the most a client may open, and the busiest client's oldest when fewer than the
        /// reserved slots are free. Null (and the socket closed) when every slot is busy with authenticated requests.
        /// </summary>
        public ListenerConnection Admit(Socket socket)
        {
            var client = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
            var victims = new List<ListenerConnection>(2);
            ListenerConnection admitted = null;
            lock (_gate)
            {
                if (!_byClient.TryGetValue(client, out var mine)) _byClient[client] = mine = new LinkedList<ListenerConnection>();
                if (mine.Count >= JiraWebhookListenerOptions.MaxConnectionsPerClient) Evict(mine, victims);
                if (mine.Count < JiraWebhookListenerOptions.MaxConnectionsPerClient
                    && _open >= JiraWebhookListenerOptions.MaxConnections - JiraWebhookListenerOptions.ReservedConnections)
                {
                    foreach (var busiest in _byClient.Values.OrderByDescending(c => c.Count))
                        if (Evict(busiest, victims)) break;
                }
                if (mine.Count < JiraWebhookListenerOptions.MaxConnectionsPerClient && _open < JiraWebhookListenerOptions.MaxConnections)
                {
                    admitted = new ListenerConnection(socket, client, this, _stopping);
                    admitted.Node = mine.AddLast(admitted);
                    _open++;
                }
                else if (mine.Count == 0) _byClient.Remove(client);
            }
            foreach (var victim in victims) victim.Close();
            if (admitted == null)
            {
                Interlocked.Increment(ref _evicted);
                try { socket.Dispose(); } catch (System.ObjectDisposedException) { }
            }
            return admitted;
        }

        /// <summary>Lets a connection go when it closes.</summary>
        public void Release(ListenerConnection connection)
        {
            lock (_gate) Forget(connection);
        }

        /// <summary>Marks a connection as (not) evictable; false when it was evicted already.</summary>
        public bool SetEvictable(ListenerConnection connection, bool evictable)
        {
            lock (_gate)
            {
                if (connection.Node.List == null) return false;
                connection.Evictable = evictable;
                return true;
            }
        }

        /// <summary>Closes every open connection (the listener stops).</summary>
        public void CloseAll()
        {
            ListenerConnection[] open;
            lock (_gate) open = _byClient.Values.SelectMany(c => c).ToArray();
            foreach (var connection in open) connection.Close();
        }

        /// <summary>Removes the oldest evictable connection of a client (under the lock); false when none is.</summary>
        private bool Evict(LinkedList<ListenerConnection> connections, List<ListenerConnection> victims)
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

        private void Forget(ListenerConnection connection)
        {
            var list = connection.Node.List;
            if (list == null) return;
            list.Remove(connection.Node);
            _open--;
            if (list.Count == 0 && _byClient.TryGetValue(connection.Client, out var current) && ReferenceEquals(current, list)) _byClient.Remove(connection.Client);
        }
    }
}

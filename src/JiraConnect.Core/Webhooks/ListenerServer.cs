using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http.Wire;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// The socket side of a listener: a plain TcpListener (no http.sys, so no URL reservation and no administrator
    /// rights on Windows), an accept loop that never waits for a slot, and one keep-alive loop per connection that
    /// hands each request to the <see cref="ListenerExchange"/>.
    /// </summary>
    internal sealed class ListenerServer
    {
        private const int Backlog = 512;
        private readonly TcpListener _listener;
        private readonly ListenerExchange _exchange;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        public ListenerServer(IPAddress address, int port, ListenerExchange exchange)
        {
            _listener = new TcpListener(address, port);
            _exchange = exchange;
            Connections = new ListenerConnections(_stopping.Token);
        }

        public ListenerConnections Connections { get; }

        /// <summary>Binds and starts accepting; returns the address and port bound. Throws SocketException when they cannot be used.</summary>
        public IPEndPoint Start()
        {
            _listener.Start(Backlog);
            _ = Task.Run(AcceptLoopAsync);
            return (IPEndPoint)_listener.LocalEndpoint;
        }

        /// <summary>Stops accepting and closes every open connection.</summary>
        public void Stop()
        {
            try { _stopping.Cancel(); } catch (ObjectDisposedException) { }
            try { _listener.Stop(); } catch (SocketException) { }
            Connections.CloseAll();
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
                var connection = Connections.Admit(socket);
                if (connection != null) _ = Task.Run(() => ServeAsync(connection));
            }
        }

        private async Task ServeAsync(ListenerConnection connection)
        {
            try
            {
                connection.Open();
                using (connection.Stream)
                {
                    while (!_stopping.IsCancellationRequested)
                    {
                        // Idle: a new connection, or one between keep-alive requests, must start a request soon.
                        using (var idle = connection.Deadline(JiraWebhookListenerOptions.IdleTimeout))
                        {
                            if (!await connection.Reader.WaitForDataAsync(idle.Token).ConfigureAwait(false)) break;
                        }
                        if (!await _exchange.ServeOneAsync(connection).ConfigureAwait(false)) break;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException || e is HttpMessageException)
            {
                // The client went away, was evicted or broke the protocol after the answer: nothing more to do.
            }
            finally
            {
                Connections.Release(connection);
                connection.Close();
            }
        }
    }
}

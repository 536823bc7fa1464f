using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>
    /// A tiny HTTP/1.1 endpoint on 127.0.0.1 (port 0) that records each request head and answers 200 with a JSON
    /// body. Used as an explicit proxy, so a request for any host lands here and nothing leaves the machine.
    /// </summary>
    internal sealed class RecordingHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _heads = new ConcurrentQueue<string>();
        private readonly Task _loop;
        private readonly string _body;
        private int _connections;

        public RecordingHttpServer(string jsonBody = "{\"deploymentType\":\"Server\"}")
        {
            _body = jsonBody;
            _listener.Start();
            Url = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");
            _loop = Task.Run(AcceptLoop);
        }

        public Uri Url { get; }

        /// <summary>Request heads (request line and headers) in arrival order.</summary>
        public IReadOnlyList<string> Heads => _heads.ToArray();

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _connections);
                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                    while (true)
                    {
                        var head = new StringBuilder();
                        string line;
                        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                            head.Append(line).Append('\n');
                        if (head.Length == 0) return;
                        _heads.Enqueue(head.ToString());
                        byte[] body = Encoding.UTF8.GetBytes(_body);
                        string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.Length + "\r\n\r\n";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                        await stream.WriteAsync(body, _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                    }
                }
                catch (Exception)
                {
                    // Client went away or the server is stopping.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>
    /// A tiny HTTP/1.1 endpoint on 127.0.0.1 (port 0) that records each request head (and body) and answers 200 with
    /// a JSON body, or what a responder makes of the head. Used as an explicit proxy, so a request for any host lands
    /// here and nothing leaves the machine, or as "another host" that records whatever reaches it.
    /// </summary>
    internal sealed class RecordingHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _heads = new ConcurrentQueue<string>();
        private readonly Task _loop;
        private readonly ConcurrentQueue<string> _bodies = new ConcurrentQueue<string>();
        private readonly Func<string, (int Status, string Headers, string Body)> _responder;
        private int _connections;

        public RecordingHttpServer(string jsonBody = "{\"deploymentType\":\"Server\"}")
            : this(head => (200, "Content-Type: application/json\r\n", jsonBody))
        {
        }

        /// <summary>Answers each request with the status, extra header lines (each ending in CRLF) and body the responder returns for its head.</summary>
        public RecordingHttpServer(Func<string, (int Status, string Headers, string Body)> responder)
        {
            _responder = responder;
            _listener.Start();
            Url = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");
            _loop = Task.Run(AcceptLoop);
        }

        public Uri Url { get; }

        /// <summary>Request heads (request line and headers) in arrival order.</summary>
        public IReadOnlyList<string> Heads => _heads.ToArray();

        /// <summary>Request bodies (by Content-Length) in arrival order.</summary>
        public IReadOnlyList<string> Bodies => _bodies.ToArray();

        /// <summary>Every head and body received, as one text to search for secrets.</summary>
        public string Everything => string.Join("\n", _heads.Concat(_bodies));

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
                        string text = head.ToString();
                        var length = System.Text.RegularExpressions.Regex.Match(text, @"(?im)^Content-Length:\s*(\d+)");
                        if (length.Success)
                        {
                            var chars = new char[int.Parse(length.Groups[1].Value)];
                            int read = 0;
                            while (read < chars.Length)
                            {
                                int n = await reader.ReadAsync(chars.AsMemory(read), _stop.Token);
                                if (n == 0) return;
                                read += n;
                            }
                            _bodies.Enqueue(new string(chars));
                        }
                        _heads.Enqueue(text);
                        var (status, headers, bodyText) = _responder(text);
                        byte[] body = Encoding.UTF8.GetBytes(bodyText ?? string.Empty);
                        string answer = "HTTP/1.1 " + status + " " + ((System.Net.HttpStatusCode)status) + "\r\n" + headers + "Content-Length: " + body.Length + "\r\n\r\n";
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

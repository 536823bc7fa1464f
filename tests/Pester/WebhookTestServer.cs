using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.PesterSupport
{
    /// <summary>
    /// A listener that misbehaves on purpose, for the webhook verdict tests: it answers every request with a fixed
    /// status (and Location), optionally after a delay, optionally over TLS with the given certificate. It binds
    /// 127.0.0.1 on a free port and counts the requests it read.
    /// </summary>
    public sealed class WebhookTestServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly int _status;
        private readonly string _location;
        private readonly TimeSpan _delay;
        private readonly X509Certificate2 _certificate;
        private int _requests;

        public WebhookTestServer(int status, string location, int delayMs, X509Certificate2 certificate)
        {
            _status = status;
            _location = location;
            _delay = TimeSpan.FromMilliseconds(delayMs);
            _certificate = certificate;
            _listener.Start();
            Task.Run(AcceptAsync);
        }

        public Uri Url => new Uri((_certificate == null ? "http" : "https") + "://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/hooks/jira");

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    Stream stream = client.GetStream();
                    if (_certificate != null)
                    {
                        var ssl = new SslStream(stream, false);
                        await ssl.AuthenticateAsServerAsync(_certificate, false, false);
                        stream = ssl;
                    }
                    if (!await ReadRequestAsync(stream)) return;
                    Interlocked.Increment(ref _requests);
                    if (_delay > TimeSpan.Zero) await Task.Delay(_delay, _stop.Token);
                    string answer = "HTTP/1.1 " + _status + " " + Reason(_status) + "\r\n"
                        + (_location == null ? string.Empty : "Location: " + _location + "\r\n")
                        + "Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno";
                    byte[] bytes = Encoding.ASCII.GetBytes(answer);
                    await stream.WriteAsync(bytes, 0, bytes.Length);
                    await stream.FlushAsync();
                }
                catch (Exception)
                {
                    // The client gave up (timeout verdicts) or refused the certificate: that is the point.
                }
            }
        }

        /// <summary>Reads one request; false when the client closed before sending one (for example after refusing the certificate).</summary>
        private static async Task<bool> ReadRequestAsync(Stream stream)
        {
            var seen = new StringBuilder();
            var buffer = new byte[8192];
            int headEnd = -1;
            long needed = long.MaxValue;
            long total = 0;
            while (total < needed)
            {
                int read = await stream.ReadAsync(buffer, 0, buffer.Length);
                if (read == 0) return headEnd >= 0;
                total += read;
                if (headEnd >= 0) continue;
                seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
                string text = seen.ToString();
                headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd < 0) continue;
                var match = System.Text.RegularExpressions.Regex.Match(text.Substring(0, headEnd), @"(?im)^Content-Length:\s*(\d+)");
                needed = headEnd + 4 + (match.Success ? long.Parse(match.Groups[1].Value) : 0);
            }
            return true;
        }

        private static string Reason(int status)
        {
            switch (status)
            {
                case 200: return "OK";
                case 302: return "Found";
                case 401: return "Unauthorized";
                case 403: return "Forbidden";
                case 500: return "Internal Server Error";
                default: return "Status";
            }
        }
    }
}

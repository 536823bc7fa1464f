#nullable enable
using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Tests.Webhooks;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (port 0) that reads each request and answers with canned bytes, after an optional
/// delay; or closes without answering. It records the raw requests it read.
/// </summary>
public sealed class CannedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, string?> _answer;
    private readonly TimeSpan _delay;
    private readonly Task _loop;
    private int _count;

    /// <param name="answer">The raw answer for the n-th request (1-based); null closes the connection without one.</param>
    public CannedServer(Func<int, string?> answer, TimeSpan delay = default)
    {
        _answer = answer;
        _delay = delay;
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public static CannedServer Status(int status, string reason, string? extraHeader = null, TimeSpan delay = default) =>
        new(_ => $"HTTP/1.1 {status} {reason}\r\n{(extraHeader is null ? string.Empty : extraHeader + "\r\n")}Content-Length: 2\r\nConnection: close\r\n\r\nok", delay);

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook");

    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream);
                Requests.Enqueue(request);
                int n = Interlocked.Increment(ref _count);
                if (_delay > TimeSpan.Zero)
                {
                    await Task.Delay(_delay, _stop.Token);
                }

                var answer = _answer(n);
                if (answer is not null)
                {
                    var bytes = Encoding.UTF8.GetBytes(answer);
                    await stream.WriteAsync(bytes, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    private static async Task<string> ReadRequestAsync(NetworkStream stream)
    {
        var data = new MemoryStream();
        var buffer = new byte[8192];
        int headEnd = -1;
        long needed = long.MaxValue;
        while (data.Length < needed)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            data.Write(buffer, 0, read);
            if (headEnd < 0)
            {
                var text = Encoding.UTF8.GetString(data.ToArray());
                headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd >= 0)
                {
                    var match = System.Text.RegularExpressions.Regex.Match(text[..headEnd], @"(?im)^Content-Length:\s*(\d+)");
                    needed = headEnd + 4 + (match.Success ? long.Parse(match.Groups[1].Value) : 0);
                }
            }
        }

        return Encoding.UTF8.GetString(data.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }
}

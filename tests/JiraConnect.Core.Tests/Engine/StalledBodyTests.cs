using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>
    /// A server that sends the status line, headers and half of the body, then stalls: the timeout and the
    /// caller's cancellation must also cover reading the body, and be reported as such.
    /// </summary>
    public class StalledBodyTests
    {
        private sealed class StallingServer : IAsyncDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly Task _loop;

            public StallingServer()
            {
                _listener.Start();
                Url = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");
                _loop = Task.Run(Serve);
            }

            public Uri Url { get; }

            public TaskCompletionSource HeadersSent { get; } = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            private async Task Serve()
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token))) { }
                    const string partial = "{\"values\":[{\"key\":\"DEV\"},";
                    string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head + partial), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    HeadersSent.TrySetResult();
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                catch (Exception)
                {
                    // Stopped.
                }
            }

            public async ValueTask DisposeAsync()
            {
                _stop.Cancel();
                _listener.Stop();
                await _loop;
                _stop.Dispose();
            }
        }

        [Fact]
        public async Task TimeoutWhileReadingTheBodyIsRequestTimeout()
        {
            await using var server = new StallingServer();
            using var client = new JiraClient(new JiraConnectionOptions { Url = server.Url, Timeout = TimeSpan.FromSeconds(1), Retry = FastRetry(), NoProxy = true });

            var clock = Stopwatch.StartNew();
            var error = await Record.ExceptionAsync(() => client.SendAsync(HttpMethod.Get, client.Resolve("project"), null, CancellationToken.None));
            clock.Stop();

            Assert.True(server.HeadersSent.Task.IsCompleted, "the server never sent its headers");
            var timeout = Assert.IsType<JiraTimeoutException>(error);
            Assert.Equal(JiraErrorId.RequestTimeout, timeout.ErrorId);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        }

        [Fact]
        public async Task CancellationWhileReadingTheBodyIsOperationCanceled()
        {
            await using var server = new StallingServer();
            using var client = new JiraClient(new JiraConnectionOptions { Url = server.Url, Timeout = TimeSpan.FromSeconds(30), Retry = FastRetry(), NoProxy = true });
            using var cts = new CancellationTokenSource();
            _ = server.HeadersSent.Task.ContinueWith(_ => cts.CancelAfter(100), TaskScheduler.Default);

            var clock = Stopwatch.StartNew();
            var error = await Record.ExceptionAsync(() => client.SendAsync(HttpMethod.Get, client.Resolve("project"), null, cts.Token));
            clock.Stop();

            Assert.True(server.HeadersSent.Task.IsCompleted, "the server never sent its headers");
            Assert.IsAssignableFrom<OperationCanceledException>(error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        }
    }
}

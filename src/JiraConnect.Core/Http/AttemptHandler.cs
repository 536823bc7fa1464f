using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Security;

namespace JiraConnect.Http
{
    /// <summary>One attempt: applies the timeout to headers and body, buffers the body, logs, translates transport failures.</summary>
    internal sealed class AttemptHandler : DelegatingHandler
    {
        private readonly TimeSpan _timeout;

        public AttemptHandler(TimeSpan timeout) { _timeout = timeout; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The redacted URL is needed only for log lines and errors; build it only then.
            string Target() => Redactor.Url(request.RequestUri);
            var clock = Stopwatch.StartNew();
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (_timeout > TimeSpan.Zero && _timeout != Timeout.InfiniteTimeSpan) attempt.CancelAfter(_timeout);
                HttpResponseMessage response = null;
                try
                {
                    if (JiraLog.IsEnabled(JiraLogLevel.Debug) && request.Content != null)
                    {
                        string body = await request.Content.ReadAsStringAsync().ConfigureAwait(false);
                        JiraLog.Debug("Request body: " + Redactor.Text(Truncate(body)));
                    }
                    response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
                    await BufferAsync(response, attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    string target = Target();
                    JiraLog.Verbose($"{request.Method} {target} timed out after {clock.ElapsedMilliseconds} ms");
                    throw new JiraTimeoutException(
                        $"{request.Method} {target} got no complete answer within {_timeout.TotalSeconds:0.#} s.", target);
                }
                catch (Exception e) when (IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    string reason = Describe(e);
                    string target = Target();
                    JiraLog.Verbose($"{request.Method} {target} failed after {clock.ElapsedMilliseconds} ms: {reason}");
                    throw new JiraConnectionException($"{request.Method} {target} failed: {reason}", target, e);
                }

                if (JiraLog.IsEnabled(JiraLogLevel.Verbose))
                    JiraLog.Verbose($"{request.Method} {Target()} → {(int)response.StatusCode} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms)");
                if (JiraLog.IsEnabled(JiraLogLevel.Debug) && response.Content != null)
                {
                    string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    JiraLog.Debug("Response body: " + Redactor.Text(Truncate(body)));
                }
                return response;
            }
        }

        private static async Task BufferAsync(HttpResponseMessage response, CancellationToken token)
        {
            if (response.Content == null) return;
            // Disposing the response aborts a read that ignores the token (older frameworks).
            using (token.Register(response.Dispose))
            {
                var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                byte[] body = await ReadAllAsync(stream, response.Content.Headers.ContentLength, token).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
                var content = new BufferedContent(body);
                foreach (var header in response.Content.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Content = content;
            }
        }

        /// <summary>Reads a body into one array of its exact size: no intermediate copies, no per-request copy buffer.</summary>
        private static async Task<byte[]> ReadAllAsync(Stream stream, long? contentLength, CancellationToken token)
        {
            if (contentLength.HasValue && contentLength.Value <= int.MaxValue)
            {
                var exact = new byte[contentLength.Value];
                int read = 0;
                while (read < exact.Length)
                {
                    int n = await stream.ReadAsync(exact, read, exact.Length - read, token).ConfigureAwait(false);
                    if (n == 0) throw new IOException($"The server closed the connection after {read} of {exact.Length} bytes.");
                    read += n;
                }
                return exact;
            }
            // No length given (chunked or compressed answers): read through a pooled buffer.
            var buffer = new MemoryStream();
            var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int count;
                while ((count = await stream.ReadAsync(chunk, 0, chunk.Length, token).ConfigureAwait(false)) > 0) buffer.Write(chunk, 0, count);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
            }
            return buffer.ToArray();
        }

        private static bool IsTransportFailure(Exception e) =>
            e is HttpRequestException || e is IOException || e is SocketException || e is ObjectDisposedException || e is WebException;

        private static string Describe(Exception e)
        {
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused: return "the connection was refused (nothing listens on that port).";
                        case SocketError.HostNotFound:
                        case SocketError.NoData: return "the host name could not be resolved (DNS).";
                        case SocketError.TimedOut: return "the connection attempt timed out.";
                        case SocketError.ConnectionReset: return "the server reset the connection.";
                    }
                }
                if (inner is System.Security.Authentication.AuthenticationException)
                    return "the TLS handshake failed; the server certificate is not trusted (" + inner.Message + ").";
            }
            string message = e.InnerException?.Message ?? e.Message;
            if (e is HttpRequestException && e.InnerException is IOException)
                return "the server closed the connection without an answer (" + message + ").";
            return Redactor.Text(message);
        }

        private static string Truncate(string text) => text.Length <= 4096 ? text : text.Substring(0, 4096) + "…";
    }
}

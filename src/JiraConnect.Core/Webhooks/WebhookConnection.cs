using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http.Wire;

namespace JiraConnect.Webhooks
{
    /// <summary>A TLS handshake that failed; <see cref="Policy"/> says what was wrong with the certificate, if anything.</summary>
    internal sealed class WebhookTlsException : AuthenticationException
    {
        public WebhookTlsException(SslPolicyErrors policy, AuthenticationException inner) : base(inner.Message, inner) { Policy = policy; }

        public SslPolicyErrors Policy { get; }
    }

    /// <summary>A response as read: its final head, status and body.</summary>
    internal sealed class WebhookResponse
    {
        public HttpHead Head;
        public int Status;
        public string Reason;
        public HttpBody Body;
    }

    /// <summary>
    /// One connection for one test request, as Jira opens them: name resolution and TCP within a connect timeout,
    /// TLS, the request written, the response read. Reads that take no token end when the connection is closed.
    /// </summary>
    internal sealed class WebhookConnection : IDisposable
    {
        private const long MaxResponseBytesRead = 16L * 1024 * 1024;
        private readonly Socket _socket;
        private Stream _stream;

        private WebhookConnection(Socket socket)
        {
            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: true);
        }

        /// <summary>The status of the last head read (a 1xx until the final one arrives), or null.</summary>
        public int? Status { get; private set; }

        /// <summary>Connects within <paramref name="timeout"/>; throws TimeoutException when it passes first, SocketException when the connection fails.</summary>
        public static async Task<WebhookConnection> OpenAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(timeout);
                try
                {
                    return new WebhookConnection(await ConnectAsync(uri, connect.Token).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException();
                }
            }
        }

        /// <summary>Closes the connection when <paramref name="token"/> is cancelled, so that every read and write ends.</summary>
        public CancellationTokenRegistration CloseWhen(CancellationToken token) =>
            token.Register(() => { try { _socket.Dispose(); } catch (ObjectDisposedException) { } });

        /// <summary>The TLS handshake; a refused certificate or failed handshake throws <see cref="WebhookTlsException"/>.</summary>
        public async Task SecureAsync(string host, bool skipCertificateCheck)
        {
            var policy = SslPolicyErrors.None;
            var ssl = new SslStream(_stream, false, (sender, certificate, chain, errors) =>
            {
                policy = errors;
                return errors == SslPolicyErrors.None || skipCertificateCheck;
            });
            _stream = ssl;
            try
            {
                await ssl.AuthenticateAsClientAsync(host, null, SslProtocols.None, false).ConfigureAwait(false);
            }
            catch (AuthenticationException e)
            {
                throw new WebhookTlsException(policy, e);
            }
        }

        /// <summary>Writes the head and the body; the head (which carries the credentials) is cleared afterwards.</summary>
        public async Task SendAsync(byte[] head, byte[] body, CancellationToken cancellationToken)
        {
            try
            {
                await _stream.WriteAsync(head, 0, head.Length, cancellationToken).ConfigureAwait(false);
                if (body.Length > 0) await _stream.WriteAsync(body, 0, body.Length, cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(head, 0, head.Length);
            }
        }

        /// <summary>
        /// Reads the final response (skipping 1xx), keeping at most <paramref name="keepBytes"/> of its body; null when
        /// the connection closes before an answer. A body beyond 16 MB is not read (its length says so).
        /// </summary>
        public async Task<WebhookResponse> ReceiveAsync(string method, int keepBytes, CancellationToken cancellationToken)
        {
            var reader = new HttpMessageReader(_stream);
            var response = new WebhookResponse();
            do
            {
                response.Head = await reader.ReadHeadAsync(HttpMessageReader.DefaultMaxHeadBytes, cancellationToken).ConfigureAwait(false);
                if (response.Head == null) return null;
                response.Status = response.Head.ReadStatus(out response.Reason);
                Status = response.Status;
            }
            while (response.Status < 200);

            response.Body = new HttpBody { Kept = Array.Empty<byte>() };
            if (method == "HEAD" || response.Status == 204 || response.Status == 304) return response;
            try
            {
                response.Body = await reader.ReadBodyAsync(response.Head, true, keepBytes, MaxResponseBytesRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpMessageException e) when (e.StatusCode == 413)
            {
                response.Body = new HttpBody { Kept = Array.Empty<byte>(), Length = MaxResponseBytesRead + 1 };
            }
            return response;
        }

        public void Dispose()
        {
            try { _stream.Dispose(); } catch (ObjectDisposedException) { }
            try { _socket.Dispose(); } catch (ObjectDisposedException) { }
        }

        private static async Task<Socket> ConnectAsync(Uri uri, CancellationToken cancellationToken)
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
            {
                addresses = new[] { literal };
            }
            else
            {
                var lookup = Dns.GetHostAddressesAsync(uri.IdnHost);
                addresses = await WithCancellation(lookup, cancellationToken).ConfigureAwait(false);
                if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            }

            SocketException last = null;
            // IPv4 first: listeners bound to 127.0.0.1 are common, and localhost resolves to ::1 first on some systems.
            foreach (var address in addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1))
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await WithCancellation(socket.ConnectAsync(new IPEndPoint(address, uri.Port)), cancellationToken, socket).ConfigureAwait(false);
                    return socket;
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            throw last ?? new SocketException((int)SocketError.HostNotFound);
        }

        /// <summary>Awaits a task that takes no token; cancelling disposes <paramref name="resource"/> and throws.</summary>
        private static async Task WithCancellation(Task task, CancellationToken cancellationToken, IDisposable resource = null)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    resource?.Dispose();
                    _ = task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            await task.ConfigureAwait(false);
        }

        private static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken cancellationToken)
        {
            await WithCancellation((Task)task, cancellationToken).ConfigureAwait(false);
            return task.Result;
        }
    }
}

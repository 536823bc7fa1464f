using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Diagnostics;
using JiraConnect.Http.Wire;

namespace JiraConnect.OAuth
{
    /// <summary>
    /// Receives the authorization redirect on a plain TcpListener bound to the loopback address only, on the port of
    /// the redirect URI. No http.sys, so no URL reservation and no administrator rights on Windows. Each connection is
    /// served on its own so that a browser's idle pre-connection never blocks the real request; anything but a GET of
    /// the redirect path gets 404, and a GET without this request's state gets 400 and is otherwise ignored (any local
    /// process can reach the port, so it must not be able to end or cancel the consent). The page shown in the browser
    /// never repeats the code or the state.
    /// </summary>
    internal sealed class LoopbackRedirectReceiver : IDisposable
    {
        private const int MaxHeaderBytes = 16 * 1024;
        private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);
        private readonly TcpListener _listener;
        private readonly string _path;

        private LoopbackRedirectReceiver(TcpListener listener, Uri redirectUri)
        {
            _listener = listener;
            _path = redirectUri.AbsolutePath;
            ListeningOn = new Uri("http://" + (((IPEndPoint)listener.LocalEndpoint).Address.AddressFamily == AddressFamily.InterNetworkV6 ? "[::1]" : "127.0.0.1")
                + ":" + ((IPEndPoint)listener.LocalEndpoint).Port + _path);
        }

        public Uri ListeningOn { get; }

        public static LoopbackRedirectReceiver Start(Uri redirectUri)
        {
            var address = LoopbackAddress(redirectUri);
            var listener = new TcpListener(address, redirectUri.Port);
            if (Security.NativeMethods.IsWindows) listener.ExclusiveAddressUse = true;
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                bool inUse = e.SocketErrorCode == SocketError.AddressAlreadyInUse;
                throw new JiraOAuthException(JiraErrorId.LoopbackPortInUse, JiraErrorKind.ResourceUnavailable,
                    inUse
                        ? $"Port {redirectUri.Port} on {address} is already in use, so the redirect to {redirectUri.GetLeftPart(UriPartial.Path)} cannot be received."
                        : $"Listening on {address}:{redirectUri.Port} failed ({e.SocketErrorCode}).",
                    redirectUri.GetLeftPart(UriPartial.Authority), null,
                    inUse
                        ? "Stop the program that uses the port (or the earlier consent still waiting), or register another callback URL with a free port for the app and pass it as -RedirectUri. -NoBrowser works without a listener."
                        : "Use a port above 1024 in the callback URL, or -NoBrowser.", e);
            }
            return new LoopbackRedirectReceiver(listener, redirectUri);
        }

        private static IPAddress LoopbackAddress(Uri redirectUri)
        {
            string host = redirectUri.Host.Trim('[', ']');
            if (redirectUri.Scheme == Uri.UriSchemeHttp)
            {
                if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host == "127.0.0.1") return IPAddress.Loopback;
                if (host == "::1") return IPAddress.IPv6Loopback;
            }
            throw new JiraException(JiraErrorId.InvalidRedirectUri, JiraErrorKind.InvalidArgument,
                $"The redirect URI {redirectUri.GetLeftPart(UriPartial.Path)} is not a loopback address, so this computer cannot receive the redirect.",
                redirectUri.GetLeftPart(UriPartial.Path),
                "Register a loopback callback such as http://localhost:8765/callback for the app, or use -NoBrowser (paste the address the browser lands on) or -AuthorizationUrlOnly.");
        }

        /// <summary>Serves until a GET of the redirect path arrives; returns its code or throws its error.</summary>
        public async Task<string> ReceiveCodeAsync(JiraOAuthAuthorizationRequest request, CancellationToken cancellationToken)
        {
            var result = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => { result.TrySetCanceled(); Stop(); }))
            {
                var accepting = AcceptLoopAsync(request, result);
                try
                {
                    return await result.Task.ConfigureAwait(false);
                }
                finally
                {
                    Stop();
                    await accepting.ConfigureAwait(false);
                }
            }
        }

        private async Task AcceptLoopAsync(JiraOAuthAuthorizationRequest request, TaskCompletionSource<string> result)
        {
            while (!result.Task.IsCompleted)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
                {
                    return;
                }
                _ = ServeAsync(client, request, result);
            }
        }

        private async Task ServeAsync(TcpClient client, JiraOAuthAuthorizationRequest request, TaskCompletionSource<string> result)
        {
            using (client)
            using (var timeout = new CancellationTokenSource(ReadTimeout))
            using (timeout.Token.Register(client.Close))
            {
                try
                {
                    var stream = client.GetStream();
                    var head = await new HttpMessageReader(stream).ReadHeadAsync(MaxHeaderBytes, timeout.Token).ConfigureAwait(false);
                    if (head == null) return;
                    var line = HttpRequestLine.TryParse(head.StartLine);
                    if (line == null || line.Method != "GET" || !string.Equals(line.Path, _path, StringComparison.Ordinal) || result.Task.IsCompleted)
                    {
                        await WriteAsync(stream, 404, "Not found", "<h1>Not found</h1>").ConfigureAwait(false);
                        return;
                    }

                    var query = OAuthRedirect.ParseQuery(line.Query);
                    if (!OAuthRedirect.CarriesStateOf(query, request))
                    {
                        // Anyone on this computer can reach the port: an answer without this request's state (a forged
                        // code, or an error meant to cancel the consent) is turned away, and the real one still awaited.
                        JiraLog.Verbose("Ignored a request to " + ListeningOn.GetLeftPart(UriPartial.Path) + " without the state of this consent; still waiting.");
                        await WriteAsync(stream, 400, "JiraConnect: not this consent",
                            "<h1>Not this consent</h1><p>This address does not belong to the consent JiraConnect is waiting for, so it was ignored.</p>").ConfigureAwait(false);
                        return;
                    }

                    JiraLog.Verbose("Received the redirect on " + ListeningOn.GetLeftPart(UriPartial.Path) + ".");
                    string code;
                    try
                    {
                        code = OAuthRedirect.Evaluate(query, request);
                    }
                    catch (JiraOAuthException e)
                    {
                        await WriteAsync(stream, 200, "JiraConnect: consent not completed", Page(e)).ConfigureAwait(false);
                        result.TrySetException(e);
                        return;
                    }
                    await WriteAsync(stream, 200, "JiraConnect: consent received",
                        "<h1>Consent received</h1><p>JiraConnect has what it needs. You may close this tab and return to PowerShell.</p>").ConfigureAwait(false);
                    result.TrySetResult(code);
                }
                catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException || e is HttpMessageException)
                {
                    // A connection that closed or idled out; the next one may be the redirect.
                }
            }
        }

        private static string Page(JiraOAuthException e)
        {
            string title = e.ErrorId == JiraErrorId.OAuthAccessDenied ? "Consent was declined" : "Consent was not completed";
            return "<h1>" + WebUtility.HtmlEncode(title) + "</h1><p>You may close this tab and return to PowerShell, which reports the error <code>"
                + WebUtility.HtmlEncode(e.ErrorId) + "</code>.</p>";
        }

        private static Task WriteAsync(Stream stream, int status, string title, string body)
        {
            string html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(title)
                + "</title></head><body>" + body + "</body></html>";
            return HttpResponseWriter.WriteAsync(stream, status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), close: true,
                "Referrer-Policy: no-referrer", "X-Content-Type-Options: nosniff");
        }

        private void Stop()
        {
            try { _listener.Stop(); }
            catch (SocketException) { }
        }

        public void Dispose() => Stop();
    }
}

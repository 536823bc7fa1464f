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
    /// <summary>
    /// Builds the handler chain: retry → redirect → attempt (timeout, logging, error translation) → authentication →
    /// socket handler. Every attempt and every redirect hop sends a fresh copy of the caller's request (see
    /// <see cref="RequestCopy"/>), so no handler ever resends a message that another one has redirected or signed.
    /// </summary>
    internal static class JiraHttpPipeline
    {
        public static HttpClient Create(JiraConnectionOptions options) => Create(options, new CredentialOrigins(options?.Url));

        /// <summary>The pipeline, adding credentials only to requests for the given origins.</summary>
        public static HttpClient Create(JiraConnectionOptions options, CredentialOrigins origins)
        {
            var socket = new HttpClientHandler
            {
                // The pipeline follows redirects itself, on the same origin only (RedirectHandler).
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseCookies = false,
            };
            if (options.NoProxy)
            {
                socket.UseProxy = false;
            }
            else if (options.Proxy != null)
            {
                socket.UseProxy = true;
                socket.Proxy = new WebProxy(options.Proxy) { Credentials = options.ProxyCredential };
            }
            else if (options.ProxyCredential != null)
            {
                socket.DefaultProxyCredentials = options.ProxyCredential;
            }
            try
            {
                // Parallel work (Test-JiraProjectAccess -ThrottleLimit) needs more than .NET Framework's two connections per host.
                if (socket.MaxConnectionsPerServer < 64) socket.MaxConnectionsPerServer = 64;
            }
            catch (PlatformNotSupportedException)
            {
            }
            catch (NotImplementedException)
            {
            }
            if (options.SkipCertificateCheck)
            {
                socket.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true;
            }

            HttpMessageHandler handler = socket;
            handler = new AuthenticationHandler(options.Authentication, options.AllowUnencryptedAuthentication, origins) { InnerHandler = handler };
            handler = new AttemptHandler(options.Timeout) { InnerHandler = handler };
            handler = new RedirectHandler { InnerHandler = handler };
            var retry = new RetryHandler(options.Retry ?? RetryPolicy.Default) { InnerHandler = handler };
            return new HttpClient(retry, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        /// <summary>Scheme, host and port (never user info), the unit credentials are bound to ("https://example.atlassian.net").</summary>
        public static string Origin(Uri url) => url == null || !url.IsAbsoluteUri ? string.Empty : url.Scheme + "://" + url.Authority;

        public static bool SameOrigin(Uri a, Uri b) =>
            a != null && b != null && a.IsAbsoluteUri && b.IsAbsoluteUri
            && (a.Scheme == Uri.UriSchemeHttp || a.Scheme == Uri.UriSchemeHttps)
            && string.Equals(Origin(a), Origin(b), StringComparison.OrdinalIgnoreCase);

        public static bool IsLoopback(Uri url)
        {
            if (url.IsLoopback) return true;
            return IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip);
        }

        /// <summary>Credentials never travel unencrypted to another machine unless the caller said so.</summary>
        public static void EnsureTransportAllowed(Uri url, bool allowUnencrypted)
        {
            if (url.Scheme == Uri.UriSchemeHttps || allowUnencrypted || IsLoopback(url)) return;
            throw new JiraException(JiraErrorId.UnencryptedAuthenticationRefused, JiraErrorKind.Security,
                "Refusing to send credentials over unencrypted HTTP to " + url.GetLeftPart(UriPartial.Authority) + ".",
                Redactor.Url(url),
                "Use the https:// address of the site. If the site really only speaks HTTP and the network is trusted, pass -AllowUnencryptedAuthentication.");
        }
    }
}

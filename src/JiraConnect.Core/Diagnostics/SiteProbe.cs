using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;

namespace JiraConnect.Diagnostics
{
    /// <summary>Direct network checks of a site, outside the HTTP pipeline: DNS resolution and the TLS handshake.</summary>
    internal static class SiteProbe
    {
        /// <summary>A certificate that expires within this time is reported as a warning.</summary>
        internal static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

        public static async Task<JiraConnectionCheck> CheckDnsAsync(Uri url, TimeSpan timeout, CancellationToken ct)
        {
            string host = url.DnsSafeHost;
            string target = url.GetLeftPart(UriPartial.Authority);
            if (IPAddress.TryParse(host, out _))
                return Check.Pass(JiraConnectionCheckNames.Dns, $"{host} is an IP address; no DNS lookup is needed.", target);
            try
            {
                var lookup = Dns.GetHostAddressesAsync(host);
                var finished = await Task.WhenAny(lookup, Task.Delay(timeout, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                if (finished != lookup)
                {
                    Observe(lookup);
                    return Check.Fail(JiraConnectionCheckNames.Dns, $"Looking up {host} took longer than {timeout.TotalSeconds:0} s.", DnsRemedy, target);
                }
                var addresses = await lookup.ConfigureAwait(false);
                if (addresses.Length == 0) return Check.Fail(JiraConnectionCheckNames.Dns, $"{host} resolves to no address.", DnsRemedy, target);
                string list = string.Join(", ", addresses.Take(4).Select(a => a.ToString())) + (addresses.Length > 4 ? ", …" : string.Empty);
                return Check.Pass(JiraConnectionCheckNames.Dns, $"{host} resolves to {list}.", target);
            }
            catch (SocketException e)
            {
                return Check.Fail(JiraConnectionCheckNames.Dns, $"{host} could not be resolved ({e.SocketErrorCode}).", DnsRemedy, target);
            }
        }

        private const string DnsRemedy =
            "Check the host name in the URL (Jira Cloud sites are https://<site>.atlassian.net) and this computer's DNS settings. Behind a proxy that resolves names itself, this check can fail while the session still works.";

        /// <summary>
        /// Connects to the site and shakes hands the way the session does, then reports the protocol and the
        /// certificate: untrusted or soon expiring certificates, or plain HTTP to another computer, are flagged.
        /// </summary>
        public static async Task<JiraConnectionCheck> CheckTlsAsync(Uri url, bool skipCertificateCheck, TimeSpan timeout, CancellationToken ct)
        {
            string target = url.GetLeftPart(UriPartial.Authority);
            const string name = JiraConnectionCheckNames.Tls;
            if (url.Scheme == Uri.UriSchemeHttp)
            {
                return JiraHttpPipeline.IsLoopback(url)
                    ? Check.Pass(name, $"{target} is plain HTTP on the loopback interface: no traffic leaves this computer, so no TLS is needed.", target)
                    : Check.Warn(name, $"{target} is plain HTTP: credentials and issue data cross the network unencrypted.",
                        "Use the site's https:// address; Jira Cloud and most Data Center installations offer one.", target);
            }

            int port = url.IsDefaultPort ? 443 : url.Port;
            using (var client = new TcpClient())
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                limit.CancelAfter(timeout);
                using (limit.Token.Register(client.Dispose))
                {
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        await client.ConnectAsync(url.DnsSafeHost, port).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is NullReferenceException)
                    {
                        ct.ThrowIfCancellationRequested();
                        string why = limit.IsCancellationRequested ? $"no connection within {timeout.TotalSeconds:0} s" : (e as SocketException)?.SocketErrorCode.ToString() ?? e.Message;
                        return Check.Fail(name, $"Could not open a TCP connection to {url.DnsSafeHost}:{port} ({why}).",
                            "Check that the site is up and that a firewall allows outgoing HTTPS. If this computer reaches the internet only through a proxy, this direct check fails while the session (through the proxy) may still work.", target);
                    }

                    SslPolicyErrors errors = SslPolicyErrors.None;
                    X509Certificate2 certificate = null;
                    using (var tls = new SslStream(client.GetStream(), false, (sender, cert, chain, policy) =>
                    {
                        errors = policy;
                        if (cert != null) certificate = new X509Certificate2(cert);
                        return true;
                    }))
                    {
                        try
                        {
                            try
                            {
                                await tls.AuthenticateAsClientAsync(url.DnsSafeHost).ConfigureAwait(false);
                            }
                            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException || e is System.IO.IOException || e is ObjectDisposedException)
                            {
                                ct.ThrowIfCancellationRequested();
                                return Check.Fail(name, $"The TLS handshake with {url.DnsSafeHost}:{port} failed ({(limit.IsCancellationRequested ? "timed out" : e.Message)}).",
                                    "Check that the port speaks HTTPS and that this computer supports the site's TLS versions (TLS 1.2 or later).", target);
                            }

                            string protocol = ProtocolName(tls.SslProtocol);
                            string subject = certificate?.GetNameInfo(X509NameType.SimpleName, false) ?? "an unnamed certificate";
                            string issuer = certificate?.GetNameInfo(X509NameType.SimpleName, true) ?? "an unknown issuer";
                            if (errors != SslPolicyErrors.None)
                            {
                                string detail = $"{protocol} handshake in {clock.ElapsedMilliseconds} ms, but the certificate for {subject} (issued by {issuer}) is not trusted: {errors}.";
                                return skipCertificateCheck
                                    ? Check.Warn(name, detail + " The session skips certificate validation.",
                                        "Trust the issuing CA on this computer and connect without -SkipCertificateCheck: without validation anyone on the network path can read the credentials.", target)
                                    : Check.Fail(name, detail, "Trust the issuing certificate authority on this computer (or fix the server's certificate chain and host name).", target);
                            }

                            var left = certificate == null ? TimeSpan.MaxValue : certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow;
                            string valid = certificate == null ? string.Empty : $", valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
                            string found = $"{protocol} handshake in {clock.ElapsedMilliseconds} ms with a trusted certificate for {subject} issued by {issuer}{valid}.";
                            return left < ExpiryWarning
                                ? Check.Warn(name, found + $" It expires in {Math.Max(0, (int)left.TotalDays)} days.", "Renew the site's certificate before it expires.", target)
                                : Check.Pass(name, found, target);
                        }
                        finally
                        {
                            certificate?.Dispose();
                        }
                    }
                }
            }
        }

        private static string ProtocolName(System.Security.Authentication.SslProtocols protocol)
        {
            switch ((int)protocol)
            {
                case 12288: return "TLS 1.3";
                case 3072: return "TLS 1.2";
                case 768: return "TLS 1.1";
                case 192: return "TLS 1.0";
                default: return protocol.ToString();
            }
        }

        private static void Observe(Task task) =>
            task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }
}

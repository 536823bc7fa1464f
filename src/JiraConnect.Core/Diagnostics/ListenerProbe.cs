using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Security;

namespace JiraConnect.Diagnostics
{
    /// <summary>What a test delivery to a listener came to.</summary>
    internal sealed class ListenerDelivery
    {
        public int? StatusCode { get; set; }
        public TimeSpan ConnectTime { get; set; }
        public TimeSpan ResponseTime { get; set; }
        /// <summary>Why no status came back: refused, timed out, TLS failure.</summary>
        public string Failure { get; set; }
        public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;
    }

    /// <summary>
    /// Sends one webhook test delivery the way Jira's "Send web request" does: a POST with a JSON issue body and an
    /// optional "Authorization: Bearer" header, within Jira's limits (about 5 s to connect, 20 s to answer).
    /// Deliberately small: a plain HTTP POST, no retries, no signatures.
    /// </summary>
    internal static class ListenerProbe
    {
        public static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan ResponseLimit = TimeSpan.FromSeconds(20);

        public static async Task<ListenerDelivery> SendAsync(Uri url, SecureString token, TimeSpan connectLimit, TimeSpan responseLimit, CancellationToken ct)
        {
            var result = new ListenerDelivery();
            var clock = Stopwatch.StartNew();

            // Jira's connect limit, measured on its own: a TCP connection to the listener's host and port.
            using (var probe = new TcpClient())
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                limit.CancelAfter(connectLimit);
                using (limit.Token.Register(probe.Dispose))
                {
                    try
                    {
                        await probe.ConnectAsync(url.DnsSafeHost, url.Port).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is NullReferenceException)
                    {
                        ct.ThrowIfCancellationRequested();
                        result.Failure = limit.IsCancellationRequested
                            ? $"no TCP connection within {connectLimit.TotalSeconds:0.#} s"
                            : "the connection failed (" + ((e as SocketException)?.SocketErrorCode.ToString() ?? e.Message) + ")";
                        return result;
                    }
                }
            }
            result.ConnectTime = clock.Elapsed;

            clock.Restart();
            using (var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
            using (var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan })
            using (var request = new HttpRequestMessage(HttpMethod.Post, url))
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                request.Content = new StringContent(TestBody(), Encoding.UTF8, "application/json");
                request.Headers.UserAgent.ParseAdd("JiraConnect/" + typeof(ListenerProbe).Assembly.GetName().Version.ToString(3));
                request.Headers.TryAddWithoutValidation("X-JiraConnect-Test", "true");
                if (token != null) request.Headers.Authorization = token.Use(t => new AuthenticationHeaderValue("Bearer", t));
                limit.CancelAfter(responseLimit);
                try
                {
                    using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false))
                    {
                        result.StatusCode = (int)response.StatusCode;
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    result.Failure = $"no answer within {responseLimit.TotalSeconds:0.#} s";
                }
                catch (HttpRequestException e)
                {
                    result.Failure = Redactor.Text(e.InnerException?.Message ?? e.Message);
                }
            }
            result.ResponseTime = clock.Elapsed;
            return result;
        }

        /// <summary>A body shaped like the Data Center webhook action's: the issue and a timestamp.</summary>
        private static string TestBody() =>
            "{\"timestamp\":" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)
            + ",\"webhookEvent\":\"jiraconnect:test_delivery\",\"issue\":{\"id\":\"0\",\"key\":\"TEST-1\",\"fields\":{\"summary\":\"JiraConnect test delivery\"}}}";

        /// <summary>The token is never sent in clear text to another computer.</summary>
        public static bool IsSafeForToken(Uri url) => url.Scheme == Uri.UriSchemeHttps || JiraHttpPipeline.IsLoopback(url);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using JiraConnect.Http.Wire;
using JiraConnect.Security;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// What Jira would make of one request: the outcome, and a sentence saying what happened, what Jira does about it
    /// and what to fix. Each method finishes the result it was made for.
    /// </summary>
    internal sealed class WebhookVerdict
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public WebhookVerdict(JiraWebhookResult result) { Result = result; }

        public JiraWebhookResult Result { get; }
        public TimeSpan Elapsed => _clock.Elapsed;

        public JiraWebhookResult ConnectTimeout(TimeSpan timeout) =>
            Finish(JiraWebhookOutcome.ConnectTimeout, null,
                $"Could not connect within {Seconds(timeout)}: Jira gives up after about 5 s and does not retry. Check that the host is reachable from Jira's network and that no firewall drops the traffic.",
                "connect timeout");

        public JiraWebhookResult ResponseTimeout(TimeSpan timeout, int? status) =>
            Finish(JiraWebhookOutcome.ResponseTimeout, status,
                $"Timed out: no complete answer within {Seconds(timeout)}. Jira drops the request after 20 s and does not retry, so the event is lost. Answer quickly (2xx first) and do slow work after responding.",
                "response timeout");

        public JiraWebhookResult TlsFailed(WebhookTlsException e)
        {
            if (e.Policy != SslPolicyErrors.None)
            {
                return Finish(JiraWebhookOutcome.CertificateNotTrusted, null,
                    $"TLS certificate not trusted ({DescribePolicy(e.Policy)}): Jira refuses the connection. Use a certificate from a public certificate authority for the listener's host name (Jira Cloud), or import the issuing CA into the Java trust store of Jira Data Center.",
                    e.Policy.ToString());
            }
            return Finish(JiraWebhookOutcome.ConnectionFailed, null,
                "The TLS handshake failed (" + Redactor.Text(e.Message) + "): Jira could not deliver. Check the listener's TLS configuration (protocol versions, cipher suites).",
                Redactor.Text(e.Message));
        }

        public JiraWebhookResult ClosedWithoutAnswer() =>
            Finish(JiraWebhookOutcome.ConnectionFailed, null,
                "The listener closed the connection without an answer: Jira records a failure and does not retry.", "connection closed");

        public JiraWebhookResult InvalidResponse(HttpMessageException e, int? status) =>
            Finish(JiraWebhookOutcome.InvalidResponse, status, "The answer is not valid HTTP (" + e.Message + "): Jira records a failure.", e.Message);

        public JiraWebhookResult SocketFailed(SocketException e, Uri uri) =>
            Finish(ClassifySocket(e), null, DescribeSocket(e, uri), e.SocketErrorCode.ToString());

        /// <summary>A connection that broke without an answer: by its socket error when it has one.</summary>
        public JiraWebhookResult ConnectionFailed(Exception e, Uri uri)
        {
            for (var inner = e; inner != null; inner = inner.InnerException)
                if (inner is SocketException socket) return SocketFailed(socket, uri);
            return Finish(JiraWebhookOutcome.ConnectionFailed, null,
                "The connection failed without an answer (" + Redactor.Text(e.Message) + "): Jira records a failure and does not retry.", Redactor.Text(e.Message));
        }

        /// <summary>Records the answer (secrets masked) and judges its status as Jira would.</summary>
        public JiraWebhookResult Answered(WebhookResponse response)
        {
            var result = Result;
            result.StatusCode = response.Status;
            result.ReasonPhrase = response.Reason;
            result.ResponseHeaders = response.Head.Headers
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => Redactor.IsSecretHeader(g.Key) ? Redactor.Mask : string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase);
            result.ResponseBody = WebhookContent.MaskSecrets(Encoding.UTF8.GetString(response.Body.Kept));
            result.ResponseBodyTruncated = response.Body.Truncated;
            result.RedirectLocation = response.Head.Get("Location");
            return Classify(response.Status);
        }

        private JiraWebhookResult Classify(int status)
        {
            string what = $"{status} {Result.ReasonPhrase}".Trim();
            string time = $"{_clock.Elapsed.TotalSeconds:0.000} s";
            if (status >= 200 && status < 300)
                return Finish(JiraWebhookOutcome.Delivered, status, $"Delivered: the listener answered {what} in {time}. Jira counts any 2xx as success.", null);
            if (status == 401 && BlamesSignature(Result))
                return Finish(JiraWebhookOutcome.Unauthorized, status,
                    $"Rejected the signature: the listener answered {what} because X-Hub-Signature is missing, uses a method it does not accept, or does not match the body. Jira records a failure and does not retry; check that the webhook's secret is the listener's secret and that nothing changes the body on the way.", null);
            if (status == 401)
                return Finish(JiraWebhookOutcome.Unauthorized, status,
                    $"Rejected the token: the listener answered {what}. Jira records a failure in the rule's audit log and does not retry; check the Authorization: Bearer header of the rule.", null);
            if (status == 403)
                return Finish(JiraWebhookOutcome.Forbidden, status,
                    $"Rejected the token: the listener answered {what}. The token or the caller is not allowed; Jira records a failure and does not retry.", null);
            if (status >= 300 && status < 400)
                return Finish(JiraWebhookOutcome.Redirected, status,
                    $"Redirect not followed: the listener answered {what}" + (Result.RedirectLocation != null ? " to " + Redactor.Text(Result.RedirectLocation) : string.Empty)
                    + ". Jira does not follow redirects and records a failure; put the final URL in the rule.", null);
            if (status >= 500)
                return Finish(JiraWebhookOutcome.ServerError, status,
                    $"Failed: the listener answered {what}. Jira records a failure and does not retry, so the event is lost.", null);
            return Finish(JiraWebhookOutcome.ClientError, status,
                $"Refused: the listener answered {what}. Jira counts only 2xx as success and does not retry; check the URL, method and body.", null);
        }

        /// <summary>
        /// True when a 401 is about the signature, not the token: the answer names the signature and does not
        /// challenge the token (WWW-Authenticate with error="invalid_token").
        /// </summary>
        private static bool BlamesSignature(JiraWebhookResult result)
        {
            result.ResponseHeaders.TryGetValue("WWW-Authenticate", out string challenge);
            if (challenge != null && challenge.IndexOf("invalid_token", StringComparison.OrdinalIgnoreCase) >= 0) return false;
            return (result.ResponseBody ?? string.Empty).IndexOf("signature", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private JiraWebhookResult Finish(JiraWebhookOutcome outcome, int? status, string verdict, string reason)
        {
            var result = Result;
            result.TotalTime = _clock.Elapsed;
            result.OutcomeKind = outcome;
            result.StatusCode = status;
            result.Succeeded = outcome == JiraWebhookOutcome.Delivered;
            result.Verdict = verdict;
            result.FailureReason = reason;
            result.ResponseHeaders = result.ResponseHeaders ?? new Dictionary<string, string>();
            result.ResponseBody = result.ResponseBody ?? string.Empty;
            return result;
        }

        private static JiraWebhookOutcome ClassifySocket(SocketException e)
        {
            switch (e.SocketErrorCode)
            {
                case SocketError.ConnectionRefused: return JiraWebhookOutcome.ConnectionRefused;
                case SocketError.HostNotFound:
                case SocketError.NoData:
                case SocketError.TryAgain: return JiraWebhookOutcome.DnsFailure;
                case SocketError.TimedOut: return JiraWebhookOutcome.ConnectTimeout;
                default: return JiraWebhookOutcome.ConnectionFailed;
            }
        }

        private static string DescribeSocket(SocketException e, Uri uri)
        {
            switch (ClassifySocket(e))
            {
                case JiraWebhookOutcome.ConnectionRefused:
                    return $"Refused connection: nothing listens on {uri.Host}:{uri.Port}. Jira records a failure and does not retry; start the listener or fix the port.";
                case JiraWebhookOutcome.DnsFailure:
                    return $"DNS failure: the host name '{uri.Host}' could not be resolved. Jira cannot deliver; check the spelling and that the name resolves on Jira's network (public DNS for Jira Cloud).";
                case JiraWebhookOutcome.ConnectTimeout:
                    return "Could not connect: the connection attempt timed out. Jira gives up after about 5 s and does not retry.";
                default:
                    return $"The connection failed ({e.SocketErrorCode}): Jira records a failure and does not retry.";
            }
        }

        private static string DescribePolicy(SslPolicyErrors errors)
        {
            var parts = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0) parts.Add("the issuer is not trusted or the chain is invalid");
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) parts.Add("the certificate is for another host name");
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) parts.Add("the server sent no certificate");
            return string.Join("; ", parts);
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }
}

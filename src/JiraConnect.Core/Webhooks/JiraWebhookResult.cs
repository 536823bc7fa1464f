using System;
using System.Collections.Generic;

namespace JiraConnect
{
    /// <summary>What happened to one web request, in the terms of Jira's delivery rules.</summary>
    public enum JiraWebhookOutcome
    {
        /// <summary>A 2xx answer: Jira records success.</summary>
        Delivered,
        /// <summary>401: the listener rejected the token.</summary>
        Unauthorized,
        /// <summary>403: the listener rejected the token or the caller.</summary>
        Forbidden,
        /// <summary>3xx: Jira does not follow redirects.</summary>
        Redirected,
        /// <summary>Another 4xx answer.</summary>
        ClientError,
        /// <summary>A 5xx answer.</summary>
        ServerError,
        /// <summary>No complete answer within the response timeout (20 s in Jira).</summary>
        ResponseTimeout,
        /// <summary>No connection within the connect timeout (about 5 s in Jira).</summary>
        ConnectTimeout,
        /// <summary>The connection was refused: nothing listens on that port.</summary>
        ConnectionRefused,
        /// <summary>The host name could not be resolved.</summary>
        DnsFailure,
        /// <summary>The TLS certificate is not trusted (unknown issuer, expired, or for another name).</summary>
        CertificateNotTrusted,
        /// <summary>The connection failed or was closed without an answer (reset, TLS failure, unreachable network).</summary>
        ConnectionFailed,
        /// <summary>The answer was not valid HTTP.</summary>
        InvalidResponse,
    }

    /// <summary>The result of one test web request: the answer, the timings, and what Jira would do.</summary>
    public sealed class JiraWebhookResult
    {
        public Uri Uri { get; internal set; }
        public string Method { get; internal set; }
        /// <summary>The body format's name (a <see cref="JiraWebhookBodyFormat"/> name).</summary>
        public string BodyFormat => BodyFormatKind.ToString();
        internal JiraWebhookBodyFormat BodyFormatKind { get; set; }
        /// <summary>The HTTP status of the (last) answer; null when no answer came.</summary>
        public int? StatusCode { get; internal set; }
        public string ReasonPhrase { get; internal set; }
        /// <summary>True for a 2xx answer: what Jira counts as success.</summary>
        public bool Succeeded { get; internal set; }
        /// <summary>What happened, as a <see cref="JiraWebhookOutcome"/> name (Delivered, Unauthorized, ResponseTimeout, …).</summary>
        public string Outcome => OutcomeKind.ToString();
        internal JiraWebhookOutcome OutcomeKind { get; set; }
        /// <summary>In plain language: what happened and what Jira would do.</summary>
        public string Verdict { get; internal set; }
        /// <summary>Time to resolve the name and open the TCP connection; null when no connection was made.</summary>
        public TimeSpan? ConnectTime { get; internal set; }
        /// <summary>From the start of the (last) attempt to the end of the answer or failure.</summary>
        public TimeSpan TotalTime { get; internal set; }
        public int Attempts { get; internal set; }
        public DateTimeOffset SentAt { get; internal set; }
        /// <summary>The headers sent, with secrets masked.</summary>
        public IReadOnlyDictionary<string, string> RequestHeaders { get; internal set; }
        public int RequestBodyLength { get; internal set; }
        public IReadOnlyDictionary<string, string> ResponseHeaders { get; internal set; }
        /// <summary>The start of the answer's body (at most 64 KiB by default), as UTF-8 text.</summary>
        public string ResponseBody { get; internal set; }
        public bool ResponseBodyTruncated { get; internal set; }
        /// <summary>The Location of a redirect answer.</summary>
        public string RedirectLocation { get; internal set; }
        /// <summary>The X-Atlassian-Webhook-Identifier sent, for admin webhooks.</summary>
        public string WebhookIdentifier { get; internal set; }
        /// <summary>The technical reason of a failure without an answer (socket error, certificate problem).</summary>
        public string FailureReason { get; internal set; }

        public override string ToString() => DisplayText.Escape(Verdict ?? Outcome.ToString());
    }

    /// <summary>The summary of a burst of test web requests.</summary>
    public sealed class JiraWebhookBurstResult
    {
        public Uri Uri { get; internal set; }
        public int Count { get; internal set; }
        public int ThrottleLimit { get; internal set; }
        public int Succeeded { get; internal set; }
        public int Failed { get; internal set; }
        /// <summary>How many requests ended in each outcome.</summary>
        public IReadOnlyDictionary<string, int> Outcomes { get; internal set; }
        public TimeSpan Duration { get; internal set; }
        /// <summary>Successful deliveries per second of wall-clock time.</summary>
        public double DeliveriesPerSecond { get; internal set; }
        public TimeSpan LatencyMin { get; internal set; }
        public TimeSpan LatencyP50 { get; internal set; }
        public TimeSpan LatencyP90 { get; internal set; }
        public TimeSpan LatencyP99 { get; internal set; }
        public TimeSpan LatencyMax { get; internal set; }
        public string Verdict { get; internal set; }
        /// <summary>Every request's result, in the order they were started.</summary>
        public IReadOnlyList<JiraWebhookResult> Results { get; internal set; }

        public override string ToString() => DisplayText.Escape(Verdict ?? string.Empty);
    }
}

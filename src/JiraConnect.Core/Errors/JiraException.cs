using System;
using System.Collections.Generic;
using System.Net;

namespace JiraConnect
{
    /// <summary>Base of every failure the engine reports. Messages never contain a secret.</summary>
    public class JiraException : Exception
    {
        public JiraException(string errorId, JiraErrorKind kind, string message, string target = null, string recommendedAction = null, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
            RecommendedAction = recommendedAction;
        }

        /// <summary>Stable identifier, one of <see cref="JiraErrorId"/>.</summary>
        public string ErrorId { get; }
        public JiraErrorKind Kind { get; }
        /// <summary>The URL, key or input the failure is about.</summary>
        public string Target { get; }
        /// <summary>What the user should do next.</summary>
        public string RecommendedAction { get; }
    }

    /// <summary>Jira answered with an HTTP error status.</summary>
    public class JiraApiException : JiraException
    {
        public JiraApiException(string errorId, JiraErrorKind kind, HttpStatusCode statusCode, string message, string target,
            IReadOnlyList<string> errorMessages, IReadOnlyDictionary<string, string> errors, string recommendedAction = null)
            : base(errorId, kind, message, target, recommendedAction)
        {
            StatusCode = statusCode;
            ErrorMessages = errorMessages ?? Array.Empty<string>();
            Errors = errors ?? new Dictionary<string, string>();
        }

        public HttpStatusCode StatusCode { get; }
        /// <summary>Jira's own <c>errorMessages</c>.</summary>
        public IReadOnlyList<string> ErrorMessages { get; }
        /// <summary>Jira's own field <c>errors</c>.</summary>
        public IReadOnlyDictionary<string, string> Errors { get; }
    }

    public sealed class JiraAuthenticationException : JiraApiException
    {
        public JiraAuthenticationException(string errorId, HttpStatusCode statusCode, string message, string target,
            IReadOnlyList<string> errorMessages, IReadOnlyDictionary<string, string> errors, string recommendedAction)
            : base(errorId, JiraErrorKind.Authentication, statusCode, message, target, errorMessages, errors, recommendedAction) { }
    }

    public sealed class JiraPermissionException : JiraApiException
    {
        public JiraPermissionException(string errorId, HttpStatusCode statusCode, string message, string target,
            IReadOnlyList<string> errorMessages, IReadOnlyDictionary<string, string> errors, string recommendedAction)
            : base(errorId, JiraErrorKind.PermissionDenied, statusCode, message, target, errorMessages, errors, recommendedAction) { }
    }

    public sealed class JiraNotFoundException : JiraApiException
    {
        public JiraNotFoundException(string errorId, string message, string target,
            IReadOnlyList<string> errorMessages, IReadOnlyDictionary<string, string> errors, string recommendedAction)
            : base(errorId, JiraErrorKind.NotFound, HttpStatusCode.NotFound, message, target, errorMessages, errors, recommendedAction) { }
    }

    public sealed class JiraRateLimitException : JiraApiException
    {
        public JiraRateLimitException(HttpStatusCode statusCode, string message, string target,
            IReadOnlyList<string> errorMessages, TimeSpan? retryAfter, string recommendedAction)
            : base(statusCode == HttpStatusCode.ServiceUnavailable ? JiraErrorId.ServiceUnavailable : JiraErrorId.RateLimited,
                statusCode == HttpStatusCode.ServiceUnavailable ? JiraErrorKind.ResourceUnavailable : JiraErrorKind.LimitsExceeded,
                statusCode, message, target, errorMessages, null, recommendedAction)
        {
            RetryAfter = retryAfter;
        }

        public TimeSpan? RetryAfter { get; }
    }

    /// <summary>The request did not finish within the configured timeout.</summary>
    public sealed class JiraTimeoutException : JiraException
    {
        public JiraTimeoutException(string message, string target, Exception inner = null)
            : base(JiraErrorId.RequestTimeout, JiraErrorKind.Timeout, message, target,
                  "Check that the site is reachable and healthy, or raise -TimeoutSec.", inner) { }
    }

    /// <summary>No HTTP answer: DNS, TCP, TLS or a dropped connection.</summary>
    public sealed class JiraConnectionException : JiraException
    {
        public JiraConnectionException(string message, string target, Exception inner)
            : base(JiraErrorId.ConnectionFailed, JiraErrorKind.Connection, message, target, RemedyFor(inner), inner) { }

        /// <summary>What to do next, told by the failure: a refused port and an unknown host are no certificate problem.</summary>
        internal static string RemedyFor(Exception failure)
        {
            for (var inner = failure; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Net.Sockets.SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case System.Net.Sockets.SocketError.ConnectionRefused:
                            return "Nothing accepts connections on that port: check the port in the URL (Jira Cloud and most sites use https on 443), that Jira or its proxy is running, and the proxy settings (-Proxy, -NoProxy).";
                        case System.Net.Sockets.SocketError.HostNotFound:
                        case System.Net.Sockets.SocketError.NoData:
                            return "Check the host name in the URL and this computer's DNS, or the proxy settings (-Proxy, -NoProxy).";
                        case System.Net.Sockets.SocketError.TimedOut:
                        case System.Net.Sockets.SocketError.HostUnreachable:
                        case System.Net.Sockets.SocketError.NetworkUnreachable:
                            return "Check that the site is reachable from this computer (firewall, VPN) and the proxy settings (-Proxy, -NoProxy).";
                    }
                }
                if (inner is System.Security.Authentication.AuthenticationException)
                    return "Trust the certificate's issuing authority on this computer, fix the server's certificate chain and host name, or use -SkipCertificateCheck for a private CA you trust.";
            }
            return "Check the URL, DNS, proxy settings (-Proxy, -NoProxy) and that the certificate is trusted (-SkipCertificateCheck for a private CA).";
        }
    }

    /// <summary>An answer that is not what a Jira REST API sends: HTML, malformed JSON.</summary>
    public sealed class JiraProtocolException : JiraException
    {
        public JiraProtocolException(string errorId, string message, string target, string recommendedAction, Exception inner = null)
            : base(errorId, JiraErrorKind.Protocol, message, target, recommendedAction, inner) { }
    }

    /// <summary>A smart-value template that cannot be rendered: malformed syntax or a path the data does not have.</summary>
    public sealed class JiraTemplateException : JiraException
    {
        public JiraTemplateException(string errorId, string message, string expression, int position, string recommendedAction)
            : base(errorId, JiraErrorKind.InvalidArgument, message, expression, recommendedAction)
        {
            Expression = expression;
            Position = position;
        }

        /// <summary>The smart value (or the text near the error) the failure is about.</summary>
        public string Expression { get; }

        /// <summary>Zero-based character offset of the problem in the template.</summary>
        public int Position { get; }
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security;
using System.Text;
using JiraConnect.Diagnostics;
using JiraConnect.Http;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>Small helpers shared by the engine tests.</summary>
    internal static class TestSupport
    {
        public static SecureString Secure(string value) => new NetworkCredential("", value).SecurePassword;

        /// <summary>A port that is free on 127.0.0.1 right now (the system picks it): nothing listens there until someone binds it.</summary>
        public static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
            finally { listener.Stop(); }
        }

        /// <summary>A retry policy fast enough for tests.</summary>
        public static RetryPolicy FastRetry(int maxRetries = 3) => new RetryPolicy
        {
            MaxRetries = maxRetries,
            InitialDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryAfter = TimeSpan.FromSeconds(5),
        };

        /// <summary>A buffered answer as the client would build it, for the error factory.</summary>
        public static JiraResponse Response(int status, string body, string contentType = "application/json",
            string url = "https://example.atlassian.net/rest/api/3/myself", params (string Name, string Value)[] headers)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body ?? string.Empty);
            var message = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent(bytes) };
            if (contentType != null) message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            foreach (var (name, value) in headers) message.Headers.TryAddWithoutValidation(name, value);
            return new JiraResponse(HttpMethod.Get, new Uri(url), message, bytes);
        }
    }

    /// <summary>Collects every log line the engine writes, at every level.</summary>
    internal sealed class CapturingLogSink : IJiraLogSink
    {
        private readonly ConcurrentQueue<(JiraLogLevel Level, string Message)> _lines = new ConcurrentQueue<(JiraLogLevel, string)>();

        public bool IsEnabled(JiraLogLevel level) => true;

        public void Write(JiraLogLevel level, string message) => _lines.Enqueue((level, message));

        public IReadOnlyList<(JiraLogLevel Level, string Message)> Lines => _lines.ToArray();

        public string All => string.Join("\n", _lines.Select(l => l.Level + ": " + l.Message));
    }
}

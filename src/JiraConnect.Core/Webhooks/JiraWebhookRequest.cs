using System;
using System.Collections.Generic;
using System.Security;

namespace JiraConnect.Webhooks
{
    /// <summary>One test web request: where, what, and the delivery rules to apply (Jira's by default).</summary>
    public sealed class JiraWebhookRequest
    {
        public static readonly TimeSpan JiraConnectTimeout = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan JiraResponseTimeout = TimeSpan.FromSeconds(20);
        public const int DefaultMaxResponseBodyBytes = 64 * 1024;

        public Uri Uri { get; set; }
        public string Method { get; set; } = "POST";
        public JiraWebhookPayload Payload { get; set; }
        /// <summary>Sent as Authorization: Bearer &lt;token&gt;.</summary>
        public SecureString Token { get; set; }
        /// <summary>More headers; they replace the defaults of the same name (Content-Type, User-Agent).</summary>
        public IDictionary<string, string> Headers { get; set; }
        /// <summary>Names in <see cref="Headers"/> whose values are secret whatever the name says (given as SecureString).</summary>
        public ICollection<string> SecretHeaders { get; set; }
        /// <summary>Signs the body: X-Hub-Signature: sha256=&lt;HMAC&gt;.</summary>
        public SecureString Secret { get; set; }
        public TimeSpan ConnectTimeout { get; set; } = JiraConnectTimeout;
        public TimeSpan ResponseTimeout { get; set; } = JiraResponseTimeout;
        /// <summary>Retries after connection failures, 408, 409, 425, 429 and 5xx (Jira: none).</summary>
        public int MaxRetries { get; set; }
        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>Follow up to five redirects (Jira: no).</summary>
        public bool FollowRedirects { get; set; }
        public bool SkipCertificateCheck { get; set; }
        /// <summary>Send the token over http:// to another computer (refused otherwise).</summary>
        public bool AllowUnencryptedAuthentication { get; set; }
        public int MaxResponseBodyBytes { get; set; } = DefaultMaxResponseBodyBytes;
        /// <summary>For a burst of admin webhooks: a new X-Atlassian-Webhook-Identifier for every request.</summary>
        public bool NewIdentifierPerRequest { get; set; }
    }
}

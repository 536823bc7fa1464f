using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Text;
using System.Threading;

namespace JiraConnect
{
    /// <summary>One request the webhook listener received, with what it checked and what it answered.</summary>
    public sealed class JiraWebhookDelivery
    {
        private int _duplicateCount;
        private object _json;
        private bool _jsonParsed;
        private OrderedDictionary _form;

        internal JiraWebhookDelivery() { }

        /// <summary>1 for the first request the listener received, then 2, 3, …</summary>
        public long Sequence { get; internal set; }
        public DateTimeOffset ReceivedAt { get; internal set; }
        public string RemoteEndPoint { get; internal set; }
        public string Method { get; internal set; }
        public string Path { get; internal set; }
        /// <summary>The query string without '?'.</summary>
        public string Query { get; internal set; }
        /// <summary>The request headers; the values of Authorization, Cookie and headers named like a token, key, secret or password are masked.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; internal set; }
        public string ContentType { get; internal set; }
        /// <summary>The body exactly as received; empty for a refused request (its body is never kept, only its size).</summary>
        public byte[] RawBody { get; internal set; }
        /// <summary>The body as UTF-8 text.</summary>
        public string Body => Encoding.UTF8.GetString(RawBody ?? Array.Empty<byte>());
        /// <summary>The body's size in bytes as announced or read.</summary>
        public long BodyLength { get; internal set; }

        /// <summary>The body parsed as JSON (dictionaries, arrays and values); null when it is empty or not valid JSON.</summary>
        public object Json
        {
            get
            {
                if (!_jsonParsed)
                {
                    _json = Webhooks.WebhookContent.TryParseJson(RawBody);
                    _jsonParsed = true;
                }
                return _json;
            }
        }

        public bool IsJson => Json != null;

        /// <summary>The fields of an application/x-www-form-urlencoded body; null for other bodies.</summary>
        public OrderedDictionary Form
        {
            get
            {
                if (_form == null && ContentType != null && ContentType.IndexOf("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) >= 0)
                    _form = Webhooks.WebhookContent.ParseForm(RawBody);
                return _form;
            }
        }

        /// <summary>True or false when the listener checks a Bearer token; null when it accepts requests without one.</summary>
        public bool? TokenValid { get; internal set; }
        /// <summary>True or false when the listener checks X-Hub-Signature; null when it has no secret.</summary>
        public bool? SignatureValid { get; internal set; }
        /// <summary>True when the listener answered 2xx.</summary>
        public bool Accepted { get; internal set; }
        /// <summary>The status the listener answered.</summary>
        public int StatusCode { get; internal set; }
        /// <summary>Why the listener refused the request; null when it accepted it.</summary>
        public string RejectionReason { get; internal set; }
        public string WebhookIdentifier { get; internal set; }
        /// <summary>The X-Atlassian-Webhook-Retry count, when sent.</summary>
        public int? WebhookRetry { get; internal set; }
        public string WebhookFlow { get; internal set; }
        /// <summary>How many more times the same X-Atlassian-Webhook-Identifier arrived (each was answered 2xx and not kept again).</summary>
        public int DuplicateCount => Volatile.Read(ref _duplicateCount);

        /// <summary>What this delivery counts against the listener's MaxStoredBytes.</summary>
        internal long StoredBytes { get; set; }

        internal void CountDuplicate() => Interlocked.Increment(ref _duplicateCount);

        public override string ToString() => DisplayText.Escape($"#{Sequence} {Method} {Path} → {StatusCode}");
    }
}

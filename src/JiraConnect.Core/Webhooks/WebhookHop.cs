using System;
using JiraConnect.Http;

namespace JiraConnect.Webhooks
{
    /// <summary>One request on the wire: the first of an attempt, or one that follows a redirect.</summary>
    internal sealed class WebhookHop
    {
        public WebhookHop(Uri uri, string method, byte[] body, string identifier, int retry, bool sendCredentials)
        {
            Uri = uri;
            Method = method;
            Body = body;
            Identifier = identifier;
            Retry = retry;
            SendCredentials = sendCredentials;
        }

        public Uri Uri { get; }
        public string Method { get; }
        public byte[] Body { get; }
        /// <summary>X-Atlassian-Webhook-Identifier, or null when the payload has none.</summary>
        public string Identifier { get; }
        /// <summary>How many attempts came before (X-Atlassian-Webhook-Retry).</summary>
        public int Retry { get; }
        /// <summary>False after a redirect to another host: the token and secret headers stay behind.</summary>
        public bool SendCredentials { get; }

        /// <summary>The hop to a redirect's target: 307 and 308 keep method and body, the others become a GET without a body.</summary>
        public WebhookHop RedirectedTo(Uri next, int status, Uri origin)
        {
            bool keep = status == 307 || status == 308;
            return new WebhookHop(next, keep ? Method : "GET", keep ? Body : Array.Empty<byte>(), Identifier, Retry,
                SendCredentials && JiraHttpPipeline.SameOrigin(next, origin));
        }
    }
}

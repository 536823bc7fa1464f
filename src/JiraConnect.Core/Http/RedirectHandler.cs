using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Security;

namespace JiraConnect.Http
{
    /// <summary>
    /// Follows redirects on the request's own origin (same scheme, host and port), at most five; a redirect anywhere
    /// else is refused with <see cref="JiraErrorId.RedirectRefused"/> before anything is sent there. 307 and 308 keep
    /// the method and body; 301 and 302 turn a POST into a GET, and 303 turns anything but HEAD into a GET, as
    /// browsers and HttpClient do.
    /// </summary>
    internal sealed class RedirectHandler : DelegatingHandler
    {
        internal const int MaxRedirects = 5;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var current = request;
            for (int hop = 0; ; hop++)
            {
                var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
                var location = response.Headers.Location;
                if (!redirect || location == null || hop >= MaxRedirects) return response;

                Uri next;
                try
                {
                    next = location.IsAbsoluteUri ? location : new Uri(current.RequestUri, location);
                }
                catch (UriFormatException)
                {
                    return response;
                }
                if (!JiraHttpPipeline.SameOrigin(next, request.RequestUri))
                {
                    response.Dispose();
                    throw Refused(current, status, next);
                }

                var method = current.Method;
                bool keepContent = true;
                if ((status == 303 && method != HttpMethod.Head) || ((status == 301 || status == 302) && method == HttpMethod.Post))
                {
                    method = HttpMethod.Get;
                    keepContent = false;
                }
                JiraLog.Verbose($"{current.Method} {Redactor.Url(current.RequestUri)} → {status}: following the redirect to {Redactor.Url(next)} on the same site.");
                response.Dispose();
                current = RequestCopy.Create(current, next, method, keepContent);
            }
        }

        private static JiraException Refused(HttpRequestMessage request, int status, Uri next)
        {
            string origin = JiraHttpPipeline.Origin(request.RequestUri);
            string elsewhere = next.IsAbsoluteUri && (next.Scheme == Uri.UriSchemeHttp || next.Scheme == Uri.UriSchemeHttps)
                ? JiraHttpPipeline.Origin(next)
                : next.IsAbsoluteUri ? next.Scheme + ":" : "another address";
            string suggestion = SuggestedSite(next);
            return new JiraException(JiraErrorId.RedirectRefused, JiraErrorKind.Security,
                $"{request.Method} {Redactor.Url(request.RequestUri)} was redirected ({status}) to {elsewhere}, which is not the session's site ({origin}). "
                + "The redirect was not followed: credentials and request bodies go to the session's site only.",
                Redactor.Url(request.RequestUri),
                (suggestion != null ? $"If {elsewhere} is the site's real address (the site moved, or it answers on https:// only), connect with -Url {suggestion}. " : string.Empty)
                + "If it is a single sign-on or proxy login page, use the address that reaches Jira's REST API directly, or a credential the proxy accepts.");
        }

        /// <summary>The site root a redirect target suggests: its origin and the path up to /rest/, without query or user info.</summary>
        private static string SuggestedSite(Uri next)
        {
            if (!next.IsAbsoluteUri || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)) return null;
            string path = next.AbsolutePath;
            int rest = path.IndexOf("/rest/", StringComparison.OrdinalIgnoreCase);
            path = rest >= 0 ? path.Substring(0, rest + 1) : "/";
            return JiraHttpPipeline.Origin(next) + path;
        }
    }

    /// <summary>
    /// Fresh copies of a request for each attempt and redirect hop: same headers (never Authorization or Cookie,
    /// which the authentication handler sets per origin), properties and version; the body is shared, not copied,
    /// from the buffered bytes (<see cref="BufferedContent"/>), so a caller that clears its array clears every copy.
    /// </summary>
    internal static class RequestCopy
    {
        /// <summary>Makes the request's body replayable: a <see cref="BufferedContent"/> (read once if it is not one already).</summary>
        public static async Task BufferAsync(HttpRequestMessage request)
        {
            if (request.Content == null || request.Content is BufferedContent) return;
            var original = request.Content;
            var buffered = new BufferedContent(await original.ReadAsByteArrayAsync().ConfigureAwait(false));
            foreach (var header in original.Headers) buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            request.Content = buffered;
            original.Dispose();
        }

        public static HttpRequestMessage Create(HttpRequestMessage source, Uri uri, HttpMethod method, bool keepContent)
        {
            var copy = new HttpRequestMessage(method, uri) { Version = source.Version };
            foreach (var header in source.Headers)
            {
                if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(header.Key, "Cookie", StringComparison.OrdinalIgnoreCase)) continue;
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
#pragma warning disable CS0618 // HttpRequestMessage.Properties is the netstandard2.0 way to carry per-request options.
            foreach (var property in source.Properties) copy.Properties[property.Key] = property.Value;
#pragma warning restore CS0618
            if (keepContent && source.Content is BufferedContent body)
            {
                var content = new BufferedContent(body.Body);
                foreach (var header in body.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                copy.Content = content;
            }
            return copy;
        }
    }
}

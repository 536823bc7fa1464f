using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Json;
using JiraConnect.Security;

namespace JiraConnect.Http
{
    /// <summary>One HTTP client per site: connection reuse, authentication, retries, timeouts and error mapping.</summary>
    public sealed class JiraClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly bool _hasCredentials;
        private readonly bool _dataCenterServiceAccount;
        private readonly CredentialOrigins _origins;

        public JiraClient(JiraConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            SiteUrl = NormalizeSiteUrl(options.Url);
            _origins = new CredentialOrigins(SiteUrl);
            if (options.Authentication != null)
                JiraHttpPipeline.EnsureTransportAllowed(SiteUrl, options.AllowUnencryptedAuthentication);
            _hasCredentials = options.Authentication != null;
            _dataCenterServiceAccount = (options.Authentication as ClientCredentialsAuthentication)?.Credential.IsDataCenter == true;
            SkipCertificateCheck = options.SkipCertificateCheck;
            ApiBaseUrl = new Uri(SiteUrl, "rest/api/2/");
            _http = JiraHttpPipeline.Create(options, _origins);
        }

        /// <summary>Whether server certificates go unchecked (-SkipCertificateCheck).</summary>
        internal bool SkipCertificateCheck { get; }

        /// <summary>The site root, always ending in a slash.</summary>
        public Uri SiteUrl { get; }

        /// <summary>Through the API gateway: the site's own URL, whose absolute URLs are sent to the gateway instead.</summary>
        internal Uri SiteAlias { get; set; }

        /// <summary>Where relative API paths resolve, always ending in a slash (…/rest/api/3/ on Cloud).</summary>
        public Uri ApiBaseUrl { get; internal set; }

        public static Uri NormalizeSiteUrl(Uri url)
        {
            if (url == null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument,
                    "The site URL must be an absolute http:// or https:// address.", url?.OriginalString,
                    "Pass the site's base URL, for example https://example.atlassian.net or https://jira.example.com.");
            }
            if (!string.IsNullOrEmpty(url.UserInfo))
            {
                throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument,
                    "The site URL must not contain a user name or password.", Redactor.Url(url),
                    "Pass credentials with -Credential or -PersonalAccessToken, not in the URL.");
            }
            string path = url.AbsolutePath;
            int rest = path.IndexOf("/rest/", StringComparison.OrdinalIgnoreCase);
            if (rest >= 0) path = path.Substring(0, rest);
            if (!path.EndsWith("/", StringComparison.Ordinal)) path += "/";
            return new Uri(url.GetLeftPart(UriPartial.Authority) + path);
        }

        /// <summary>
        /// Resolves a path: a full URL on the same site, a site-rooted path (/rest/…), or a path relative to the API base.
        /// </summary>
        public Uri Resolve(string path, IDictionary query = null)
        {
            if (string.IsNullOrWhiteSpace(path)) path = string.Empty;
            Uri url;
            if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
            {
                if (SiteAlias != null && absolute.AbsoluteUri.StartsWith(SiteAlias.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
                    && !absolute.AbsoluteUri.StartsWith(SiteUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase))
                {
                    absolute = new Uri(SiteUrl, absolute.AbsoluteUri.Substring(SiteAlias.AbsoluteUri.Length));
                }
                EnsureOnSite(absolute);
                url = absolute;
            }
            else if (path.StartsWith("/rest/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("rest/", StringComparison.OrdinalIgnoreCase))
            {
                url = new Uri(SiteUrl, path.TrimStart('/'));
            }
            else
            {
                url = new Uri(ApiBaseUrl, path.TrimStart('/'));
            }
            return AppendQuery(url, query);
        }

        /// <summary>Lets the session's credentials go to another origin of the same account (the automation API's gateway).</summary>
        internal void TrustAuthority(Uri url) => _origins.Trust(url);

        /// <summary>Credentials go to the session's site only, whichever way a URL reached the client.</summary>
        private void EnsureOnSite(Uri url)
        {
            if (_origins.Allows(url)) return;
            throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument,
                "The URL is not on the session's site; credentials are only sent to " + _origins.Site + ".",
                Redactor.Url(url), "Pass a path relative to the API base (for example 'myself'), or connect a session to that site.");
        }

        internal static Uri AppendQuery(Uri url, IDictionary query)
        {
            if (query == null || query.Count == 0) return url;
            var builder = new StringBuilder(url.Query.Length > 1 ? url.Query.Substring(1) : string.Empty);
            foreach (DictionaryEntry entry in query)
            {
                if (entry.Value == null) continue;
                IEnumerable values = entry.Value is string || !(entry.Value is IEnumerable e) ? new[] { entry.Value } : e;
                foreach (var value in values)
                {
                    if (value == null) continue;
                    if (builder.Length > 0) builder.Append('&');
                    builder.Append(Uri.EscapeDataString(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)))
                        .Append('=')
                        .Append(Uri.EscapeDataString(FormatValue(value)));
                }
            }
            var uri = new UriBuilder(url) { Query = builder.ToString() };
            return uri.Uri;
        }

        private static string FormatValue(object value)
        {
            switch (value)
            {
                case bool b: return b ? "true" : "false";
                case DateTime dt: return dt.ToString("o", CultureInfo.InvariantCulture);
                default: return Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Sends a request and returns the buffered answer, throwing the mapped exception for any failure.</summary>
        public Task<JiraResponse> SendAsync(HttpMethod method, Uri url, string jsonBody, CancellationToken cancellationToken) =>
            SendAsync(method, url, jsonBody, retryable: false, cancellationToken);

        /// <summary>
        /// Sends a request; <paramref name="retryable"/> lets a POST that only reads (such as permissions/check) be
        /// retried after 429 or 503 like a GET.
        /// </summary>
        internal Task<JiraResponse> SendAsync(HttpMethod method, Uri url, string jsonBody, bool retryable, CancellationToken cancellationToken) =>
            SendAsync(method, url, jsonBody, retryable, null, cancellationToken);

        /// <param name="endpoint">The route template the request counts against for Jira's burst limit (such as
        /// project/{projectIdOrKey}/role/{id}) when its path names a project or an id; null for the path itself.</param>
        internal async Task<JiraResponse> SendAsync(HttpMethod method, Uri url, string jsonBody, bool retryable, string endpoint, CancellationToken cancellationToken)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            if (_hasCredentials) EnsureOnSite(url);
            using (var request = new HttpRequestMessage(method, url))
            {
                if (retryable) RetryHandler.MarkRetryable(request);
                if (endpoint != null) RetryHandler.MarkEndpoint(request, endpoint);
                request.Headers.Accept.ParseAdd("application/json");
                request.Headers.TryAddWithoutValidation("X-Atlassian-Token", "no-check");
                request.Headers.UserAgent.ParseAdd(UserAgent);
                if (jsonBody != null)
                {
                    // Buffered once; every attempt and redirect hop sends these bytes.
                    request.Content = new BufferedContent(Encoding.UTF8.GetBytes(jsonBody));
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                }
                using (var message = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
                {
                    byte[] body = await BufferedContent.ReadBodyAsync(message).ConfigureAwait(false);
                    var response = new JiraResponse(method, url, message, body);
                    JiraErrorFactory.EnsureSuccess(response, _hasCredentials, _dataCenterServiceAccount);
                    return response;
                }
            }
        }

        /// <summary>GET and deserialize a JSON answer into a wire shape.</summary>
        internal Task<T> GetAsync<T>(Uri url, CancellationToken cancellationToken) => GetAsync<T>(url, null, cancellationToken);

        /// <summary>GET and deserialize; <paramref name="endpoint"/> as for <see cref="SendAsync(HttpMethod, Uri, string, bool, string, CancellationToken)"/>.</summary>
        internal async Task<T> GetAsync<T>(Uri url, string endpoint, CancellationToken cancellationToken)
        {
            var response = await SendAsync(HttpMethod.Get, url, null, false, endpoint, cancellationToken).ConfigureAwait(false);
            return ReadJson<T>(response);
        }

        internal static T ReadJson<T>(JiraResponse response) => Parse(response, JiraJson.Deserialize<T>);

        /// <summary>Runs a JSON reader over the body; malformed JSON becomes InvalidJsonResponse.</summary>
        internal static T Parse<T>(JiraResponse response, Func<byte[], T> parse)
        {
            try
            {
                return parse(response.Body);
            }
            catch (JsonException e)
            {
                throw InvalidJson(response, e);
            }
        }

        internal static object ReadTree(JiraResponse response)
        {
            if (response.Body.Length == 0) return null;
            if (!response.IsJson)
            {
                string text = response.BodyText;
                if (!LooksLikeJson(text)) return text;
            }
            try
            {
                return JsonTree.Parse(response.Body);
            }
            catch (JsonException e)
            {
                throw InvalidJson(response, e);
            }
        }

        private static bool LooksLikeJson(string text)
        {
            string t = text.TrimStart();
            return t.StartsWith("{", StringComparison.Ordinal) || t.StartsWith("[", StringComparison.Ordinal);
        }

        private static JiraException InvalidJson(JiraResponse response, Exception e) =>
            new JiraProtocolException(JiraErrorId.InvalidJsonResponse,
                $"The answer from {Redactor.Url(response.Url)} is not valid JSON ({e.Message.Split('.')[0]}).",
                Redactor.Url(response.Url),
                "Check that the URL points at Jira's REST API and not at a proxy or another service; retry if the connection was cut short.", e);

        private static readonly string UserAgent = "JiraConnect/" + typeof(JiraClient).Assembly.GetName().Version.ToString(3);

        public void Dispose() => _http.Dispose();
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;

namespace JiraConnect.Services
{
    /// <summary>The result of a raw REST call: status, headers and the JSON as plain values.</summary>
    public sealed class JiraRestResult
    {
        internal JiraRestResult(JiraResponse response, object content)
        {
            StatusCode = (int)response.StatusCode;
            Headers = response.Headers;
            Content = content;
        }

        public int StatusCode { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
        /// <summary>OrderedDictionary, object[], string, number, bool or null.</summary>
        public object Content { get; }
    }

    /// <summary>Calls any endpoint with the session's authentication, retries and redaction.</summary>
    public static class JiraRestService
    {
        public static Uri Resolve(JiraSession session, string path, IDictionary query) => session.Client.Resolve(path, query);

        public static async Task<JiraRestResult> InvokeAsync(JiraSession session, HttpMethod method, Uri url, string jsonBody, CancellationToken ct)
        {
            var response = await session.Client.SendAsync(method, url, jsonBody, ct).ConfigureAwait(false);
            object content = method == HttpMethod.Head ? null : JiraClient.ReadTree(response);
            return new JiraRestResult(response, content);
        }

        /// <summary>
        /// Follows Jira's two paging styles and returns the items of each page: offset pages
        /// (startAt, maxResults, total, isLast, values) and token pages (nextPageToken, isLast).
        /// </summary>
        public static JiraRestPager Paginate(JiraSession session, HttpMethod method, string path, IDictionary query, string jsonBody, CancellationToken ct)
            => new JiraRestPager(session, method, path, query, jsonBody, ct);
    }

    public sealed class JiraRestPager
    {
        private readonly JiraSession _session;
        private readonly HttpMethod _method;
        private readonly string _path;
        private readonly Dictionary<string, object> _query;
        private readonly string _body;
        private readonly CancellationToken _ct;
        private bool _done;

        internal JiraRestPager(JiraSession session, HttpMethod method, string path, IDictionary query, string body, CancellationToken ct)
        {
            _session = session;
            _method = method;
            _path = path;
            _body = body;
            _ct = ct;
            _query = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (query != null) foreach (DictionaryEntry e in query) _query[e.Key.ToString()] = e.Value;
        }

        public int PagesRead { get; private set; }

        /// <summary>The items of the next page, or null when the last page was read.</summary>
        public async Task<IReadOnlyList<object>> NextAsync()
        {
            if (_done) return null;
            var url = _session.Client.Resolve(_path, _query);
            var result = await JiraRestService.InvokeAsync(_session, _method, url, _body, _ct).ConfigureAwait(false);
            PagesRead++;
            if (!(result.Content is OrderedDictionary page))
            {
                _done = true;
                return result.Content is object[] array ? array : (result.Content == null ? Array.Empty<object>() : new[] { result.Content });
            }

            var items = ItemsOf(page);
            bool isLast = page["isLast"] is bool last && last;
            if (page["nextPageToken"] is string token && !string.IsNullOrEmpty(token) && !isLast)
            {
                _query["nextPageToken"] = token;
            }
            else if (page.Contains("startAt") && !isLast && items.Count > 0)
            {
                long startAt = Convert.ToInt64(page["startAt"]) + items.Count;
                long? total = page["total"] == null ? (long?)null : Convert.ToInt64(page["total"]);
                if (total.HasValue && startAt >= total.Value) _done = true;
                _query["startAt"] = startAt;
            }
            else
            {
                _done = true;
            }
            return items;
        }

        private static IReadOnlyList<object> ItemsOf(OrderedDictionary page)
        {
            if (page["values"] is object[] values) return values;
            foreach (DictionaryEntry entry in page)
                if (entry.Value is object[] array) return array;
            return new object[] { page };
        }
    }
}

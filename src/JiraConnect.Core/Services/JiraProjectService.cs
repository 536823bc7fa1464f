using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

namespace JiraConnect.Services
{
    /// <summary>Filters for a project listing.</summary>
    public sealed class JiraProjectQuery
    {
        public IReadOnlyList<string> Keys { get; set; }
        /// <summary>Matches key or name, case-insensitive.</summary>
        public string Query { get; set; }
        public IReadOnlyList<string> Types { get; set; }
        /// <summary>live, archived, deleted (Cloud).</summary>
        public IReadOnlyList<string> Statuses { get; set; }
        /// <summary>Asks Jira for each project's lead (expand=lead); off by default, as it makes every page heavier.</summary>
        public bool IncludeLead { get; set; }

        /// <summary>The same filters for other keys.</summary>
        internal JiraProjectQuery WithKeys(IReadOnlyList<string> keys)
        {
            var copy = (JiraProjectQuery)MemberwiseClone();
            copy.Keys = keys;
            return copy;
        }
    }

    /// <summary>Lists projects: every page of /project/search on Cloud, /project on Server and Data Center.</summary>
    public static class JiraProjectService
    {
        /// <summary>Cloud's page size cap for /project/search.</summary>
        public const int PageSize = 100;
        /// <summary>Pages fetched at once once the total is known (well inside Atlassian's burst limits).</summary>
        public const int ReadAhead = 4;
        /// <summary>Keys per /project/search request.</summary>
        public const int MaxKeysPerRequest = 50;

        /// <summary>Project keys as given, trimmed, without empty ones and without repeats (keys are case-insensitive).</summary>
        public static List<string> DistinctKeys(IEnumerable<string> keys) =>
            (keys ?? Enumerable.Empty<string>()).Where(k => k != null).Select(k => k.Trim()).Where(k => k.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>
        /// Looks projects up by key (with the other filters of <paramref name="filter"/>, if any): Cloud searches
        /// <see cref="MaxKeysPerRequest"/> keys a request, Data Center picks from the full list. Found projects come in
        /// the listing's order; missing keys (not visible, or filtered out) in the order given.
        /// </summary>
        public static Task<(IReadOnlyList<JiraProject> Found, IReadOnlyList<string> Missing)> ResolveKeysAsync(
            JiraSession session, IReadOnlyList<string> keys, JiraProjectQuery filter, CancellationToken ct) =>
            ResolveKeysAsync(session, keys, filter, null, ct);

        /// <param name="dataCenterList">Data Center: the full list, when the caller reads it once for many lookups; null reads it.</param>
        internal static async Task<(IReadOnlyList<JiraProject> Found, IReadOnlyList<string> Missing)> ResolveKeysAsync(
            JiraSession session, IReadOnlyList<string> keys, JiraProjectQuery filter, Func<Task<IReadOnlyList<JiraProject>>> dataCenterList, CancellationToken ct)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            var found = new List<JiraProject>();
            var wanted = DistinctKeys(keys);
            if (!session.IsCloud && dataCenterList == null && wanted.Count > MaxKeysPerRequest)
            {
                // Data Center lists every project in one answer: read it once for all the chunks, not once a chunk.
                var listing = new Lazy<Task<IReadOnlyList<JiraProject>>>(async () =>
                    await GetProjects(session, (filter ?? new JiraProjectQuery()).WithKeys(null), 0, long.MaxValue, ct).ReadAllAsync().ConfigureAwait(false));
                dataCenterList = () => listing.Value;
            }
            for (int i = 0; i < wanted.Count; i += MaxKeysPerRequest)
            {
                var query = (filter ?? new JiraProjectQuery()).WithKeys(wanted.Skip(i).Take(MaxKeysPerRequest).ToList());
                if (!session.IsCloud && dataCenterList != null)
                    found.AddRange((await dataCenterList().ConfigureAwait(false)).Where(p => Matches(p, query)));
                else
                    found.AddRange(await GetProjects(session, query, 0, long.MaxValue, ct).ReadAllAsync().ConfigureAwait(false));
            }
            var seen = new HashSet<string>(found.Select(p => p.Key), StringComparer.OrdinalIgnoreCase);
            return (found, wanted.Where(k => !seen.Contains(k)).ToList());
        }

        /// <summary>The error for a key that no visible project has.</summary>
        public static JiraException ProjectNotFound(JiraSession session, string key) =>
            new JiraException(JiraErrorId.ProjectNotFound, JiraErrorKind.NotFound,
                $"No project with key '{key}' is visible to {session.User} on {session.SiteUrl}.", key,
                "Check the key, and that the account can see the project: add it to the project's Administrators role (Project settings → People).");

        public static JiraPageReader<JiraProject> GetProjects(JiraSession session, JiraProjectQuery query, long skip, long first, CancellationToken cancellationToken)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            query = query ?? new JiraProjectQuery();
            if (query.Keys != null && query.Keys.Count > MaxKeysPerRequest)
                throw new ArgumentException($"At most {MaxKeysPerRequest} keys per query.", nameof(query));
            return session.IsCloud
                ? new JiraPageReader<JiraProject>((start, max, ct) => SearchCloudAsync(session, query, start, max, ct), PageSize, skip, first, cancellationToken, ReadAhead)
                : new JiraPageReader<JiraProject>(DataCenterFetch(session, query), int.MaxValue, skip, first, cancellationToken);
        }

        private static async Task<JiraPage<JiraProject>> SearchCloudAsync(JiraSession session, JiraProjectQuery query, long startAt, int maxResults, CancellationToken ct)
        {
            var parameters = new Dictionary<string, object>
            {
                ["startAt"] = startAt,
                ["maxResults"] = maxResults,
                ["orderBy"] = "key",
            };
            if (!string.IsNullOrEmpty(query.Query)) parameters["query"] = query.Query;
            if (query.Types?.Count > 0) parameters["typeKey"] = string.Join(",", query.Types);
            if (query.Statuses?.Count > 0) parameters["status"] = query.Statuses.ToArray();
            if (query.Keys?.Count > 0) parameters["keys"] = query.Keys.ToArray();
            if (query.IncludeLead) parameters["expand"] = "lead";

            var url = session.Client.Resolve("project/search", parameters);
            JiraResponse response;
            try
            {
                response = await session.Client.SendAsync(System.Net.Http.HttpMethod.Get, url, null, ct).ConfigureAwait(false);
            }
            catch (JiraNotFoundException)
            {
                // Cloud answers 404 when no project matches the search criteria.
                return new JiraPage<JiraProject>(Array.Empty<JiraProject>(), startAt, true);
            }
            var page = JiraClient.Parse(response, body => ProjectJson.ReadPage(body, session.Name));
            bool isLast = page.IsLast ?? (page.Items.Count < maxResults);
            return new JiraPage<JiraProject>(page.Items, page.Total, isLast);
        }

        private static JiraPageReader<JiraProject>.PageFetch DataCenterFetch(JiraSession session, JiraProjectQuery query)
        {
            List<JiraProject> all = null;
            return async (startAt, maxResults, ct) =>
            {
                if (all == null)
                {
                    var parameters = new Dictionary<string, object>();
                    bool archived = query.Statuses?.Any(s => string.Equals(s, "archived", StringComparison.OrdinalIgnoreCase)) == true;
                    if (query.Statuses?.Any(s => string.Equals(s, "deleted", StringComparison.OrdinalIgnoreCase)) == true)
                    {
                        throw new JiraException(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                            "Jira Server and Data Center do not list deleted projects.", "deleted",
                            "Use -Status live or archived on Data Center.");
                    }
                    if (archived) parameters["includeArchived"] = true;
                    if (query.IncludeLead) parameters["expand"] = "lead";
                    var response = await session.Client.SendAsync(System.Net.Http.HttpMethod.Get, session.Client.Resolve("project", parameters), null, ct).ConfigureAwait(false);
                    var list = JiraClient.Parse(response, body => ProjectJson.ReadList(body, session.Name));
                    all = list.Where(p => Matches(p, query)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                }
                var slice = all.Skip((int)Math.Min(startAt, int.MaxValue)).Take(maxResults).ToList();
                return new JiraPage<JiraProject>(slice, all.Count, startAt + slice.Count >= all.Count);
            };
        }

        private static bool Matches(JiraProject p, JiraProjectQuery query)
        {
            if (query.Keys?.Count > 0 && !query.Keys.Contains(p.Key, StringComparer.OrdinalIgnoreCase)) return false;
            if (query.Types?.Count > 0 && !query.Types.Contains(p.ProjectTypeKey, StringComparer.OrdinalIgnoreCase)) return false;
            if (!string.IsNullOrEmpty(query.Query)
                && (p.Key ?? string.Empty).IndexOf(query.Query, StringComparison.OrdinalIgnoreCase) < 0
                && (p.Name ?? string.Empty).IndexOf(query.Query, StringComparison.OrdinalIgnoreCase) < 0) return false;
            if (query.Statuses?.Count > 0)
            {
                string status = p.Archived ? "archived" : "live";
                if (!query.Statuses.Contains(status, StringComparer.OrdinalIgnoreCase)) return false;
            }
            return true;
        }

        /// <summary>Project keys for tab completion, cached per session for a few minutes.</summary>
        public static async Task<IReadOnlyList<string>> GetKeysForCompletionAsync(JiraSession session, CancellationToken ct)
        {
            var cache = SessionCompletionCache.Of(session);
            var cached = cache.ProjectKeys;
            if (cached != null && DateTimeOffset.Now - cache.ProjectKeysAt < TimeSpan.FromMinutes(5)) return cached;
            var keys = (await GetProjects(session, null, 0, 1000, ct).ReadAllAsync().ConfigureAwait(false)).Select(p => p.Key).ToList();
            cache.ProjectKeys = keys;
            cache.ProjectKeysAt = DateTimeOffset.Now;
            return keys;
        }
    }
}

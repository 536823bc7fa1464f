using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Security;

namespace JiraConnect.ServiceAccounts
{
    /// <summary>What to list with <see cref="JiraApiTokenExpiryService"/>.</summary>
    public sealed class JiraApiTokenQuery
    {
        /// <summary>The Atlassian organization's ID.</summary>
        public string OrganizationId { get; set; }

        /// <summary>An organization API key with read:tokens:admin, sent as Bearer.</summary>
        public SecureString AdminApiKey { get; set; }

        /// <summary>The admin API's host, https://api.atlassian.com/ (the OAuth environment's gateway).</summary>
        public Uri AdminApiUrl { get; set; }

        /// <summary>Only tokens of users whose e-mail matches one of these (case-insensitive, * and ? wildcards); none for all.</summary>
        public IReadOnlyList<string> Email { get; set; }

        /// <summary>Only tokens that expire within this span of <see cref="Now"/>, or have expired; null for all.</summary>
        public TimeSpan? ExpiringWithin { get; set; }

        /// <summary>The moment DaysLeft and Expired are measured from; default the current time.</summary>
        public DateTimeOffset? Now { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
    }

    /// <summary>
    /// The user API tokens of an Atlassian organization with their expiry and last use, from the organization admin API
    /// (GET {api}/admin/api-access/v1/orgs/{orgId}/api-tokens, an org API key as Bearer), every page.
    /// </summary>
    public static class JiraApiTokenExpiryService
    {
        /// <summary>The scope the org API key needs.</summary>
        public const string RequiredScope = "read:tokens:admin";

        private const string ApiKeyPlace = "Atlassian Administration, Settings, API keys";

        /// <summary>The list's first page.</summary>
        public static Uri ListUrl(Uri adminApiUrl, string organizationId) =>
            new Uri(JiraClient.NormalizeSiteUrl(adminApiUrl), "admin/api-access/v1/orgs/" + Uri.EscapeDataString(organizationId) + "/api-tokens");

        public static async Task<IReadOnlyList<JiraApiTokenExpiry>> ListAsync(JiraApiTokenQuery query, CancellationToken cancellationToken)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            if (string.IsNullOrWhiteSpace(query.OrganizationId))
                throw new JiraException(JiraErrorId.InvalidArgument, JiraErrorKind.InvalidArgument, "The organization ID is empty.", null,
                    "Pass -OrganizationId: the ID in the address admin.atlassian.com/o/<organization ID>/…");
            if (query.AdminApiKey == null || query.AdminApiKey.Length == 0)
                throw new JiraException(JiraErrorId.CredentialEmpty, JiraErrorKind.InvalidArgument, "The organization API key is empty.", query.OrganizationId,
                    $"Pass -AdminApiKey with an organization API key that has {RequiredScope} ({ApiKeyPlace}).");

            DateTimeOffset now = query.Now ?? DateTimeOffset.UtcNow;
            var emails = EmailMatcher(query.Email);
            var first = ListUrl(query.AdminApiUrl ?? JiraOAuthEnvironment.Atlassian.ApiGatewayUrl, query.OrganizationId);
            var options = new JiraConnectionOptions { Url = first, Authentication = JiraAuthentication.Bearer(query.AdminApiKey), Timeout = query.Timeout };
            var result = new List<JiraApiTokenExpiry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            using (var client = new JiraClient(options))
            {
                for (Uri page = first; page != null && seen.Add(page.AbsoluteUri);)
                {
                    JiraResponse response;
                    try
                    {
                        response = await client.SendAsync(HttpMethod.Get, page, null, cancellationToken).ConfigureAwait(false);
                    }
                    catch (JiraApiException e)
                    {
                        throw Map(e, query.OrganizationId, page);
                    }
                    string next = null;
                    var tokens = JiraClient.Parse(response, body => ParsePage(body, query.OrganizationId, now, out next));
                    foreach (var token in tokens)
                    {
                        if (!emails(token.UserEmail)) continue;
                        if (query.ExpiringWithin is TimeSpan within && (token.ExpiresAt == null || token.ExpiresAt.Value > now + within)) continue;
                        result.Add(token);
                    }
                    page = NextPage(page, next);
                }
            }
            JiraLog.Verbose($"Organization {query.OrganizationId}: {result.Count} API token(s) listed{(query.Email?.Count > 0 || query.ExpiringWithin != null ? " after filtering" : string.Empty)}.");
            return result;
        }

        /// <summary>Reads one page: the tokens and links.next (null on the last page). Missing dates and users are tolerated.</summary>
        internal static IReadOnlyList<JiraApiTokenExpiry> ParsePage(byte[] body, string organizationId, DateTimeOffset now, out string next)
        {
            next = null;
            var tokens = new List<JiraApiTokenExpiry>();
            using (var document = JsonDocument.Parse(body))
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new JsonException("The answer is not a JSON object.");
                if (root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object)
                    next = Text(links, "next");
                if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return tokens;
                foreach (var item in data.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                {
                    JsonElement user = item.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
                    tokens.Add(JiraApiTokenExpiry.Create(
                        Text(user, "orgId") ?? organizationId, Text(item, "id"), Text(item, "label"), Text(item, "status"),
                        Date(item, "createdAt"), Date(item, "expiresAt"), Date(item, "lastActiveAt"),
                        Text(user, "id"), Text(user, "name"), Text(user, "email"), now));
                }
            }
            return tokens;
        }

        /// <summary>
        /// The next page from links.next: an absolute URL, a path or query string on the current page's host, or a bare
        /// cursor (sent as ?cursor=…). Null when there is none.
        /// </summary>
        internal static Uri NextPage(Uri current, string next)
        {
            if (string.IsNullOrWhiteSpace(next)) return null;
            next = next.Trim();
            if (next.StartsWith("?", StringComparison.Ordinal))
                return new UriBuilder(current) { Query = next.Substring(1) }.Uri;
            if (next.StartsWith("/", StringComparison.Ordinal) || Uri.TryCreate(next, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
                return new Uri(current, next);
            var page = new UriBuilder(current) { Query = string.Empty }.Uri;
            return JiraClient.AppendQuery(page, new System.Collections.Hashtable { ["cursor"] = next });
        }

        private static Func<string, bool> EmailMatcher(IReadOnlyList<string> patterns)
        {
            var list = (patterns ?? Array.Empty<string>()).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
            if (list.Count == 0) return _ => true;
            var regexes = list.Select(p => new Regex("^" + Regex.Escape(p).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToList();
            return email => email != null && regexes.Any(r => r.IsMatch(email));
        }

        private static JiraException Map(JiraApiException e, string organizationId, Uri url)
        {
            string target = Redactor.Url(url);
            string says = JiraErrorFactory.Suffix(e).Replace("Jira says", "Atlassian says");
            switch ((int)e.StatusCode)
            {
                case 401 when e.ErrorId == JiraErrorId.GatewayScopeMissing:
                case 403:
                    return new JiraPermissionException(JiraErrorId.AdminApiKeyScopeMissing, e.StatusCode,
                        $"The organization admin API refused to list the API tokens of organization {organizationId} ({(int)e.StatusCode}): the API key lacks the scope {RequiredScope}." + says,
                        target, e.ErrorMessages, e.Errors,
                        $"Create an organization API key that includes the scope {RequiredScope} ({ApiKeyPlace}; an organization admin can) and pass it as -AdminApiKey.");
                case 401:
                    return new JiraAuthenticationException(JiraErrorId.AdminApiKeyRejected, e.StatusCode,
                        "The organization admin API rejected the API key (401 Unauthorized)." + says,
                        target, e.ErrorMessages, e.Errors,
                        $"Pass an organization API key (not a user's API token) that has not expired or been revoked, with the scope {RequiredScope}: create one in {ApiKeyPlace}.");
                case 404:
                    return new JiraNotFoundException(JiraErrorId.OrganizationNotFound,
                        $"The organization admin API knows no organization {organizationId} for this API key (404 Not Found)." + says,
                        organizationId, e.ErrorMessages, e.Errors,
                        "Check -OrganizationId: it is the ID in the address admin.atlassian.com/o/<organization ID>/…, and the API key must belong to that organization.");
                default:
                    return e;
            }
        }

        private static string Text(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static DateTimeOffset? Date(JsonElement element, string name) =>
            DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : (DateTimeOffset?)null;
    }
}

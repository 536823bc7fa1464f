using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.OAuth;
using JiraConnect.Services;

namespace JiraConnect.Diagnostics
{
    /// <summary>
    /// OAuth 2.0 (3LO) checks of an OAuth session: the access token's expiry, whether it can be refreshed, the
    /// granted scopes against the ones the integration needs, and the site among the token's accessible resources.
    /// For API-token, password and personal-access-token sessions they are NotApplicable.
    /// </summary>
    internal sealed class OAuthChecks : ICheckFamily
    {
        private const string Reconsent = "Run Invoke-JiraOAuthConsent again";
        private const string ReconsentInSentence = "run Invoke-JiraOAuthConsent again";

        public string Activity => "Checking OAuth 2.0";

        public IReadOnlyList<string> Names { get; } = new[]
        {
            JiraConnectionCheckNames.OAuthTokenExpiry, JiraConnectionCheckNames.OAuthRefresh, JiraConnectionCheckNames.OAuthScopes, JiraConnectionCheckNames.OAuthSite,
        };

        public async Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct)
        {
            var session = context.Session;
            var token = session?.OAuthToken;
            if (token == null)
            {
                var type = session?.Authentication ?? (context.Options.Connection?.Authentication?.Scheme == "Bearer" ? JiraAuthenticationType.PersonalAccessToken : JiraAuthenticationType.ApiToken);
                return Names.Select(n => Check.NotApplicable(n,
                    $"The session uses {CredentialChecks.Describe(type)} authentication; OAuth 2.0 checks apply to OAuth sessions.", context.Site)).ToArray();
            }
            string site = context.Site;
            return new[]
            {
                TokenExpiry(token, site), Refresh(token, site), Scopes(token, context.Options.RequiredScopes, site),
                await Check.TimedAsync(() => SiteAmongResourcesAsync(token, session.CloudId, site, ct)).ConfigureAwait(false),
            };
        }

        private static JiraConnectionCheck TokenExpiry(JiraOAuthToken token, string site)
        {
            const string name = JiraConnectionCheckNames.OAuthTokenExpiry;
            var left = token.ExpiresAt - DateTimeOffset.UtcNow;
            string until = $"{token.ExpiresAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
            if (left <= TimeSpan.Zero)
            {
                return token.CanRefresh
                    ? Check.Warn(name, $"The access token expired at {until}; it is refreshed on the next call.", "Nothing to do unless the refresh fails (see OAuthRefresh).", site)
                    : Check.Fail(name, $"The access token expired at {until} and cannot be refreshed.", Reconsent + " with the offline_access scope, so that the token refreshes itself.", site);
            }
            string detail = $"The access token is valid until {until} ({left.TotalMinutes:0} min; Atlassian access tokens last one hour)";
            if (token.CanRefresh)
                return Check.Pass(name, detail + $"; it is refreshed {JiraOAuthToken.RefreshMargin.TotalMinutes:0} min before it expires.", site);
            return left < TimeSpan.FromMinutes(15)
                ? Check.Warn(name, detail + " and cannot be refreshed.", Reconsent + " before it expires, with offline_access for a token that refreshes itself.", site)
                : Check.Pass(name, detail + ".", site);
        }

        private static JiraConnectionCheck Refresh(JiraOAuthToken token, string site)
        {
            const string name = JiraConnectionCheckNames.OAuthRefresh;
            if (!token.HasRefreshToken)
            {
                return Check.Fail(name, "The grant has no refresh token: offline_access was not granted, so the integration must ask for consent again every hour.",
                    "Add offline_access to the app's scopes (developer console, Permissions) and " + ReconsentInSentence + ".", site);
            }
            if (!token.CanRefresh)
            {
                return Check.Warn(name, "The grant has a refresh token, but this process has no client secret to use it with.",
                    "Load the token with its client credential (Invoke-JiraOAuthConsent -ClientCredential … -TokenCacheName …) so that it can refresh itself.", site);
            }
            string cache = token.TokenCachePath == null ? "kept in memory only" : "kept in the token cache";
            return Check.Pass(name,
                $"The token can refresh itself (refresh token and client secret present; refreshed {token.RefreshCount} time{(token.RefreshCount == 1 ? string.Empty : "s")} so far, {cache}). Each refresh rotates the refresh token; the new one replaces the old at once.", site);
        }

        private static JiraConnectionCheck Scopes(JiraOAuthToken token, IReadOnlyList<string> required, string site)
        {
            const string name = JiraConnectionCheckNames.OAuthScopes;
            var granted = token.Scopes;
            var missing = (required ?? Array.Empty<string>()).Where(s => !token.HasScope(s)).ToList();
            string list = granted.Count == 0 ? "none" : string.Join(" ", granted);
            if (missing.Count == 0)
                return Check.Pass(name, $"Granted: {list}; every required scope is there.", site);
            var why = JiraConnectorSettingService.ExpectedScopes.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            string needs = string.Join("; ", missing.Select(m => why.TryGetValue(m, out var use) ? $"{m} ({use})" : m));
            return Check.Fail(name, $"Granted: {list}; missing: {needs}.",
                $"Add the missing scopes to the app (developer console, Permissions) and {ReconsentInSentence} with -Scope {string.Join(", ", granted.Concat(missing).Distinct(StringComparer.Ordinal))}.", site);
        }

        private static async Task<JiraConnectionCheck> SiteAmongResourcesAsync(JiraOAuthToken token, string cloudId, string target, CancellationToken ct)
        {
            const string name = JiraConnectionCheckNames.OAuthSite;
            try
            {
                var resources = await JiraOAuthService.GetAccessibleResourcesAsync(token, ct).ConfigureAwait(false);
                var site = resources.FirstOrDefault(r => r.IsJira && string.Equals(r.CloudId, cloudId, StringComparison.OrdinalIgnoreCase));
                if (site != null)
                {
                    return Check.Pass(name,
                        $"{site.Name} ({site.Url}, cloudId {site.CloudId}) is among the token's {resources.Count} accessible resource{(resources.Count == 1 ? string.Empty : "s")}.", target);
                }
                string known = string.Join(", ", resources.Where(r => r.IsJira).Select(r => $"{r.Name} ({r.CloudId})"));
                return Check.Fail(name, $"The session's site (cloudId {cloudId}) is not among the token's accessible resources (Jira sites: {(known.Length == 0 ? "none" : known)}).",
                    "The consenting user must pick this site on the consent page: " + ReconsentInSentence + " and choose it.", target);
            }
            catch (JiraException e)
            {
                return Check.Fail(name, $"GET accessible-resources failed: {e.Message} ({e.ErrorId})", e.RecommendedAction, target);
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;
using JiraConnect.Security;

namespace JiraConnect.OAuth
{
    /// <summary>The consent flow and what follows it: receive the redirect, exchange the code, load a cached grant, list accessible resources.</summary>
    public static class JiraOAuthService
    {
        public const string OfflineAccess = "offline_access";

        /// <summary>
        /// Listens on the redirect URI's loopback port, then opens the consent page in the browser (the BROWSER command,
        /// else the system's) and waits for the redirect; returns the code. When no browser can be opened, a session
        /// that is not <paramref name="interactive"/> fails at once with OAuthInteractionRequired; an interactive one
        /// gets a warning and keeps waiting for the user to open the URL shown.
        /// </summary>
        public static async Task<string> ReceiveCodeAsync(JiraOAuthAuthorizationRequest request, bool interactive, TimeSpan timeout, CancellationToken cancellationToken)
        {
            string why = SystemBrowser.WhyUnavailable(interactive);
            // Listen first: a redirect URI that is not loopback, or a port that is taken, fails before any browser opens.
            using (var receiver = LoopbackRedirectReceiver.Start(request.RedirectUri))
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (why != null && !interactive) throw InteractionRequired(request, why);
                JiraLog.Verbose("Listening for the redirect on " + receiver.ListeningOn + ".");
                waiting.CancelAfter(timeout);
                var code = receiver.ReceiveCodeAsync(request, waiting.Token);
                try
                {
                    string failed = null;
                    if (why == null)
                    {
                        var launch = SystemBrowser.OpenAsync(request.Url);
                        if (await Task.WhenAny(code, launch).ConfigureAwait(false) == launch && !code.IsCompleted)
                            failed = await launch.ConfigureAwait(false);
                    }
                    if (why != null)
                    {
                        JiraLog.Verbose($"No browser was opened ({why}); waiting up to {timeout.TotalSeconds:0} s for the redirect.");
                    }
                    else if (failed != null && !code.IsCompleted)
                    {
                        why = failed;
                        if (!interactive) throw InteractionRequired(request, why);
                        JiraLog.Warning($"No browser could be opened ({why}). Open the address shown above in a browser on this computer; waiting up to {timeout.TotalSeconds:0} s. (Use -NoBrowser to consent on another device.)");
                    }
                    else
                    {
                        JiraLog.Verbose($"Opened the consent page; waiting up to {timeout.TotalSeconds:0} s for the redirect.");
                    }
                    return await code.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new JiraOAuthException(JiraErrorId.OAuthConsentTimeout, JiraErrorKind.Timeout,
                        $"No redirect arrived within {timeout.TotalSeconds:0} s: the consent was not completed in the browser.",
                        request.RedirectUri.GetLeftPart(UriPartial.Path), null,
                        "Run Invoke-JiraOAuthConsent again and finish the login and consent in the browser (raise -TimeoutSec if you need longer), or use -NoBrowser.");
                }
                finally
                {
                    waiting.Cancel();
                    try { await code.ConfigureAwait(false); } catch (Exception) { }
                }
            }
        }

        /// <summary>Why no browser can be opened in this session (null when one may be).</summary>
        public static string WhyNoBrowser(bool interactive) => SystemBrowser.WhyUnavailable(interactive);

        /// <summary>OAuthInteractionRequired: nobody can complete a consent here; names the switches that work.</summary>
        public static JiraOAuthException InteractionRequired(JiraOAuthAuthorizationRequest request, string why) =>
            new JiraOAuthException(JiraErrorId.OAuthInteractionRequired, JiraErrorKind.InvalidOperation,
                $"No browser can be opened for the consent ({why}), so nobody could complete it here.",
                request.RedirectUri.GetLeftPart(UriPartial.Path), null,
                "Use -AuthorizationUrlOnly (open the URL anywhere, then finish with -AuthorizationRequest and -AuthorizationResponse), "
                + "reuse a grant cached by an interactive consent with -TokenCachePath or -TokenCacheName, use -NoBrowser in an interactive session, "
                + "or set the BROWSER environment variable to a browser command.");

        /// <summary>The code in a pasted redirect address (state checked) or a bare pasted code.</summary>
        public static string ReadAuthorizationResponse(JiraOAuthAuthorizationRequest request, string pasted) => OAuthRedirect.ReadPasted(pasted, request);

        /// <summary>Exchanges the code for tokens; with a cache, the grant is on disk before the token is returned.</summary>
        public static async Task<JiraOAuthToken> ExchangeCodeAsync(JiraOAuthAuthorizationRequest request, SecureString clientSecret, string code, JiraTokenCache cache, CancellationToken cancellationToken)
        {
            if (clientSecret.IsEmpty())
                throw new JiraException(JiraErrorId.OAuthClientAuthenticationFailed, JiraErrorKind.InvalidArgument, "The client secret is empty.", request.ClientId,
                    "Pass the app's secret as the password of -ClientCredential (developer console, your app, Settings). Atlassian requires it: there is no PKCE for Jira.");
            JiraLog.Verbose($"Exchanging the authorization code at {request.Environment.TokenUrl}.");
            var grant = await OAuthTokenClient.ExchangeCodeAsync(request.Environment, request.ClientId, clientSecret, code, request.RedirectUri, cancellationToken).ConfigureAwait(false);
            var token = new JiraOAuthToken(request.ClientId, clientSecret, request.Environment, request.RedirectUri, grant, cache);
            if (cache != null)
            {
                using (await cache.LockAsync(cancellationToken).ConfigureAwait(false)) cache.Save(token, grant);
                JiraLog.Verbose("Saved the tokens to " + cache.Path + ".");
            }
            return token;
        }

        /// <summary>
        /// A cached grant of the same client that covers the scopes and still works (refreshed when needed), or null
        /// when consent is needed: no cache file, missing scopes, or a refresh token the server refused. A cache of
        /// another client throws TokenCacheClientMismatch rather than being overwritten. The endpoints are those of
        /// <paramref name="environment"/> (Atlassian's when null), never those in the file; a file that names others
        /// throws TokenCacheEnvironmentMismatch before anything is sent.
        /// </summary>
        public static async Task<JiraOAuthToken> TryLoadCachedAsync(JiraTokenCache cache, JiraOAuthEnvironment environment, string clientId, SecureString clientSecret, IEnumerable<string> scopes, CancellationToken cancellationToken)
        {
            environment = environment ?? JiraOAuthEnvironment.Atlassian;
            var cached = cache.TryLoad();
            if (cached == null) return null;
            cache.EnsureSameEnvironment(cached, environment);
            if (!string.Equals(cached.ClientId, clientId, StringComparison.Ordinal))
            {
                throw new JiraException(JiraErrorId.TokenCacheClientMismatch, JiraErrorKind.InvalidArgument,
                    $"The token cache '{cache.Path}' belongs to client {cached.ClientId}, not {clientId}.", cache.Path,
                    "Use another -TokenCacheName or -TokenCachePath for this app, or -Force to replace the cached grant.");
            }
            var missing = (scopes ?? Enumerable.Empty<string>()).Where(s => !cached.Grant.Scopes.Contains(s, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                JiraLog.Verbose("The cached grant lacks " + string.Join(", ", missing) + "; asking for consent again.");
                return null;
            }
            var token = new JiraOAuthToken(cached.ClientId, clientSecret, environment, cached.RedirectUri, cached.Grant, cache);
            if (!JiraOAuthToken.NeedsRefresh(cached.Grant)) return token;
            if (!token.CanRefresh) return token.IsExpired ? null : token;
            try
            {
                await token.RefreshAsync(cancellationToken).ConfigureAwait(false);
                return token;
            }
            catch (JiraOAuthException e) when (e.ErrorId == JiraErrorId.OAuthConsentRequired)
            {
                JiraLog.Verbose("The cached refresh token was refused (" + e.OAuthError + "); asking for consent again.");
                return null;
            }
        }

        /// <summary>Deletes the token's cache file and its leftovers; false when the token has no cache or it was already gone.</summary>
        public static bool DeleteTokenCache(JiraOAuthToken token) => token?.Cache != null && token.Cache.Delete();

        /// <summary>GET …/oauth/token/accessible-resources: the sites (and products) the grant reaches.</summary>
        public static Task<IReadOnlyList<JiraAccessibleResource>> GetAccessibleResourcesAsync(JiraOAuthToken token, CancellationToken cancellationToken) =>
            GetAccessibleResourcesAsync(token, null, cancellationToken);

        /// <summary>
        /// The same through the connection settings of <paramref name="transport"/> (proxy, certificate check, timeout,
        /// retries), as a connection through a proxy needs.
        /// </summary>
        public static async Task<IReadOnlyList<JiraAccessibleResource>> GetAccessibleResourcesAsync(JiraOAuthToken token, JiraConnectionOptions transport, CancellationToken cancellationToken)
        {
            if (token == null) throw new ArgumentNullException(nameof(token));
            var options = transport?.WithUrl(token.Environment.ApiGatewayUrl) ?? new JiraConnectionOptions { Url = token.Environment.ApiGatewayUrl };
            options.Authentication = JiraAuthentication.OAuth(token);
            using (var client = new JiraClient(options))
            {
                var list = await client.GetAsync<List<AccessibleResourceDto>>(token.Environment.AccessibleResourcesUrl, cancellationToken).ConfigureAwait(false)
                    ?? new List<AccessibleResourceDto>();
                return list.Select(r => JiraAccessibleResource.From(r.Id, r.Name, r.Url, r.Scopes, r.AvatarUrl)).ToList();
            }
        }

        /// <summary>The Jira resource for a cloudId or a site URL; the only Jira resource when neither is given.</summary>
        public static JiraAccessibleResource SelectJiraResource(IReadOnlyList<JiraAccessibleResource> resources, string cloudId, Uri siteUrl)
        {
            var jira = resources.Where(r => r.IsJira).ToList();
            string known = jira.Count == 0 ? "none" : string.Join(", ", jira.Select(r => $"{r.Name} ({r.Url}, {r.CloudId})"));
            if (!string.IsNullOrEmpty(cloudId))
            {
                return jira.FirstOrDefault(r => string.Equals(r.CloudId, cloudId, StringComparison.OrdinalIgnoreCase))
                    ?? throw NotFound($"No Jira site with cloudId {cloudId} is among the token's accessible resources (Jira sites: {known}).", cloudId);
            }
            if (siteUrl != null)
            {
                string wanted = siteUrl.GetLeftPart(UriPartial.Authority);
                return jira.FirstOrDefault(r => r.Url != null && string.Equals(r.Url.GetLeftPart(UriPartial.Authority), wanted, StringComparison.OrdinalIgnoreCase))
                    ?? throw NotFound($"No Jira site at {wanted} is among the token's accessible resources (Jira sites: {known}).", wanted);
            }
            if (jira.Count == 1) return jira[0];
            if (jira.Count == 0) throw NotFound("The token reaches no Jira site.", null);
            throw new JiraException(JiraErrorId.AccessibleResourceAmbiguous, JiraErrorKind.InvalidArgument,
                $"The token reaches {jira.Count} Jira sites: {known}.", null, "Pass -CloudId or -Url to pick one.");
        }

        private static JiraException NotFound(string message, string target) =>
            new JiraException(JiraErrorId.AccessibleResourceNotFound, JiraErrorKind.NotFound, message, target,
                "Run Get-JiraAccessibleResource to list the sites; when the site is missing, run Invoke-JiraOAuthConsent again and choose it on the consent page, with Jira scopes.");
    }
}

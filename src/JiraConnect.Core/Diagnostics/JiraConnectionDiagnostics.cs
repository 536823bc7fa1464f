using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;
using JiraConnect.OAuth;
using JiraConnect.Services;
using JiraConnect.Webhooks;

namespace JiraConnect.Diagnostics
{
    /// <summary>The stable names of the checks of Test-JiraConnection.</summary>
    public static class JiraConnectionCheckNames
    {
        public const string Dns = "DnsResolution";
        public const string Tls = "TlsHandshake";
        public const string Credentials = "Credentials";
        public const string Account = "Account";
        public const string Deployment = "Deployment";
        public const string CredentialExpiry = JiraCredentialExpiry.CheckName;
        public const string OAuthTokenExpiry = "OAuthTokenExpiry";
        public const string OAuthRefresh = "OAuthRefresh";
        public const string OAuthScopes = "OAuthScopes";
        public const string OAuthSite = "OAuthAccessibleResources";
        public const string ProjectAccess = "ProjectAccess";
        public const string ListenerDelivery = "ListenerDelivery";
        public const string ListenerAuthentication = "ListenerAuthentication";

        /// <summary>Every check, in the order they run.</summary>
        public static IReadOnlyList<string> All { get; } = new[]
        {
            Dns, Tls, Credentials, Account, CredentialExpiry, Deployment, OAuthTokenExpiry, OAuthRefresh, OAuthScopes, OAuthSite, ProjectAccess, ListenerDelivery, ListenerAuthentication,
        };
    }

    /// <summary>What Test-JiraConnection checks: an open session, or a site and credentials to connect with.</summary>
    public sealed class JiraConnectionTestOptions
    {
        /// <summary>An open session; when null, <see cref="Connection"/> is used to connect for the duration of the test.</summary>
        public JiraSession Session { get; set; }
        public JiraConnectionOptions Connection { get; set; }
        /// <summary>Projects to audit; null or empty audits every project the account can see.</summary>
        public IReadOnlyList<string> Projects { get; set; }
        public bool SkipProjectAccess { get; set; }
        public JiraAccessAuditOptions Audit { get; set; } = new JiraAccessAuditOptions();
        /// <summary>atlassian, app or customer (Cloud); null to accept any.</summary>
        public string ExpectedAccountType { get; set; } = "atlassian";
        /// <summary>OAuth sessions: the scopes the integration needs (the connector guide's by default).</summary>
        public IReadOnlyList<string> RequiredScopes { get; set; } = JiraConnectorSettingService.ExpectedScopes.Select(s => s.Key).ToArray();
        public Uri ListenerUrl { get; set; }
        public SecureString ListenerToken { get; set; }
        /// <summary>Jira's limits for a webhook delivery; shorter values are for tests.</summary>
        public TimeSpan ListenerConnectLimit { get; set; } = JiraWebhookRequest.JiraConnectTimeout;
        public TimeSpan ListenerResponseLimit { get; set; } = JiraWebhookRequest.JiraResponseTimeout;
        public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>CredentialExpiry warns when the credential expires within this period.</summary>
        public TimeSpan CredentialExpiryWarning { get; set; } = JiraCredentialExpiry.DefaultWarningPeriod;
    }

    /// <summary>One group of checks, run in order; later groups see what earlier ones found.</summary>
    public sealed class JiraConnectionStep
    {
        internal JiraConnectionStep(string activity, Func<CancellationToken, Task<IReadOnlyList<JiraConnectionCheck>>> run)
        {
            Activity = activity;
            _run = run;
        }

        private readonly Func<CancellationToken, Task<IReadOnlyList<JiraConnectionCheck>>> _run;

        /// <summary>What the step does, for a progress bar.</summary>
        public string Activity { get; }

        public Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(CancellationToken ct) => _run(ct);
    }

    /// <summary>
    /// Every check that applies to a session or to the given inputs, one <see cref="JiraConnectionCheck"/> each:
    /// DNS and TLS, credentials, account, deployment, OAuth (for OAuth sessions), project access, listener delivery.
    /// Run the <see cref="Steps"/> in order; dispose to close a session opened for the test.
    /// </summary>
    public sealed class JiraConnectionDiagnostics : IDisposable
    {
        private readonly JiraConnectionTestOptions _options;
        private readonly Uri _site;
        private JiraSession _session;
        private bool _ownsSession;
        private JiraUser _user;
        private bool _credentialsOk;

        public JiraConnectionDiagnostics(JiraConnectionTestOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.Session == null && options.Connection == null) throw new ArgumentException("Give a session or the connection options.", nameof(options));
            _session = options.Session;
            // Where the requests really go: the site, or for OAuth and scoped tokens the API gateway.
            _site = _session?.ApiBaseUrl ?? JiraClient.NormalizeSiteUrl(options.Connection.Url);
            Steps = new[]
            {
                new JiraConnectionStep("Resolving and reaching the site", SiteAsync),
                new JiraConnectionStep("Checking the credentials and the account", CredentialsAsync),
                new JiraConnectionStep("Checking when the credential expires", ct => Task.FromResult<IReadOnlyList<JiraConnectionCheck>>(new[] { CredentialExpiryCheck.For(_session, _credentialsOk, _options.CredentialExpiryWarning) })),
                new JiraConnectionStep("Reading the deployment", DeploymentAsync),
                new JiraConnectionStep("Checking OAuth 2.0", OAuthAsync),
                new JiraConnectionStep("Auditing project access", ProjectAccessAsync),
                new JiraConnectionStep("Sending a test delivery to the listener", ListenerAsync),
            };
        }

        public IReadOnlyList<JiraConnectionStep> Steps { get; }

        public void Dispose()
        {
            if (_ownsSession) _session?.Dispose();
        }

        private string Site => _site.GetLeftPart(UriPartial.Authority);

        private async Task<IReadOnlyList<JiraConnectionCheck>> SiteAsync(CancellationToken ct)
        {
            bool skip = _session?.Client.SkipCertificateCheck ?? _options.Connection.SkipCertificateCheck;
            return new[]
            {
                await Timed(() => SiteProbe.CheckDnsAsync(_site, _options.NetworkTimeout, ct)).ConfigureAwait(false),
                await Timed(() => SiteProbe.CheckTlsAsync(_site, skip, _options.NetworkTimeout, ct)).ConfigureAwait(false),
            };
        }

        /// <summary>Credentials: GET myself through the session (or connect); then whether the account is active and of the expected type.</summary>
        private async Task<IReadOnlyList<JiraConnectionCheck>> CredentialsAsync(CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            JiraConnectionCheck credentials;
            try
            {
                if (_session == null)
                {
                    _session = await JiraConnector.ConnectAsync(_options.Connection, ct).ConfigureAwait(false);
                    _ownsSession = true;
                    _user = _session.User;
                }
                else
                {
                    var me = await _session.Client.GetAsync<UserDto>(_session.Client.Resolve("myself"), ct).ConfigureAwait(false);
                    _user = JiraConnector.ToUser(me);
                }
                _credentialsOk = true;
                credentials = new JiraConnectionCheck(JiraConnectionCheckNames.Credentials, JiraCheckStatus.Pass,
                    $"Jira accepted the {Describe(_session.AuthenticationType)} of {_user} (GET myself, not anonymous, no CAPTCHA).", target: Site);
            }
            catch (JiraException e) when (e.Kind != JiraErrorKind.OperationStopped)
            {
                credentials = new JiraConnectionCheck(JiraConnectionCheckNames.Credentials, JiraCheckStatus.Fail,
                    $"{e.Message} ({e.ErrorId})", e.RecommendedAction, Site);
            }
            credentials.Duration = clock.Elapsed;
            return new[] { credentials, AccountCheck() };
        }

        private static string Describe(JiraAuthenticationType type)
        {
            switch (type)
            {
                case JiraAuthenticationType.ApiToken: return "API token";
                case JiraAuthenticationType.ScopedApiToken: return "scoped API token";
                case JiraAuthenticationType.Password: return "password";
                case JiraAuthenticationType.PersonalAccessToken: return "personal access token";
                case JiraAuthenticationType.ClientCredentials: return "OAuth 2.0 client credentials";
                default: return "OAuth 2.0 access token";
            }
        }

        private JiraConnectionCheck AccountCheck()
        {
            const string name = JiraConnectionCheckNames.Account;
            if (!_credentialsOk) return Skipped(name, "Needs valid credentials.");
            if (!_user.Active)
            {
                return new JiraConnectionCheck(name, JiraCheckStatus.Fail, $"The account {_user} is deactivated.",
                    _session.IsCloud ? "Reactivate the account in admin.atlassian.com (Directory → Users)." : "Reactivate the user in Jira administration (User management).", Site);
            }
            if (string.IsNullOrEmpty(_user.AccountType))
                return new JiraConnectionCheck(name, JiraCheckStatus.Pass, $"{_user} ({_user.Id}) is active.", target: Site);
            string expected = _options.ExpectedAccountType;
            if (!string.IsNullOrEmpty(expected) && !string.Equals(expected, _user.AccountType, StringComparison.OrdinalIgnoreCase))
            {
                return new JiraConnectionCheck(name, JiraCheckStatus.Fail,
                    $"{_user} ({_user.Id}) is active but is an '{_user.AccountType}' account, not '{expected}'.",
                    string.Equals(_user.AccountType, "customer", StringComparison.OrdinalIgnoreCase)
                        ? "Service Management customer accounts cannot work in projects: use a licensed Atlassian account for the integration."
                        : $"Connect with the {expected} account the integration is meant to use, or pass -ExpectedAccountType {_user.AccountType} if this is intended.", Site);
            }
            return new JiraConnectionCheck(name, JiraCheckStatus.Pass, $"{_user} ({_user.Id}) is an active '{_user.AccountType}' account.", target: Site);
        }

        private Task<IReadOnlyList<JiraConnectionCheck>> DeploymentAsync(CancellationToken ct)
        {
            const string name = JiraConnectionCheckNames.Deployment;
            IReadOnlyList<JiraConnectionCheck> checks = new[]
            {
                _session == null
                    ? Skipped(name, "Needs a session: the connection failed.")
                    : new JiraConnectionCheck(name, JiraCheckStatus.Pass,
                        $"{_session.DeploymentType} {_session.Version}, REST API v{_session.RestApiVersion} at {_session.ApiBaseUrl}.", target: Site),
            };
            return Task.FromResult(checks);
        }

        /// <summary>
        /// OAuth 2.0 (3LO) checks of an OAuth session: the access token's expiry, whether it can be refreshed, the
        /// granted scopes against the ones the integration needs, and the site among the token's accessible resources.
        /// For API-token, password and personal-access-token sessions they are NotApplicable.
        /// </summary>
        private async Task<IReadOnlyList<JiraConnectionCheck>> OAuthAsync(CancellationToken ct)
        {
            var names = new[] { JiraConnectionCheckNames.OAuthTokenExpiry, JiraConnectionCheckNames.OAuthRefresh, JiraConnectionCheckNames.OAuthScopes, JiraConnectionCheckNames.OAuthSite };
            var token = _session?.OAuthToken;
            if (token == null)
            {
                var type = _session?.AuthenticationType ?? (_options.Connection?.Authentication?.Scheme == "Bearer" ? JiraAuthenticationType.PersonalAccessToken : JiraAuthenticationType.ApiToken);
                return names.Select(n => new JiraConnectionCheck(n, JiraCheckStatus.NotApplicable,
                    $"The session uses {Describe(type)} authentication; OAuth 2.0 checks apply to OAuth sessions.", target: Site)).ToArray();
            }
            return new[] { TokenExpiryCheck(token), RefreshCheck(token), ScopesCheck(token), await Timed(() => SiteAmongResourcesAsync(token, ct)).ConfigureAwait(false) };
        }

        private const string Reconsent = "Run Invoke-JiraOAuthConsent again";
        private const string ReconsentInSentence = "run Invoke-JiraOAuthConsent again";

        private JiraConnectionCheck TokenExpiryCheck(JiraOAuthToken token)
        {
            const string name = JiraConnectionCheckNames.OAuthTokenExpiry;
            var left = token.ExpiresAt - DateTimeOffset.UtcNow;
            string until = $"{token.ExpiresAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
            if (left <= TimeSpan.Zero)
            {
                return token.CanRefresh
                    ? new JiraConnectionCheck(name, JiraCheckStatus.Warn, $"The access token expired at {until}; it is refreshed on the next call.", "Nothing to do unless the refresh fails (see OAuthRefresh).", Site)
                    : SiteProbe.Fail(name, $"The access token expired at {until} and cannot be refreshed.", Reconsent + " with the offline_access scope, so that the token refreshes itself.", Site);
            }
            string detail = $"The access token is valid until {until} ({left.TotalMinutes:0} min; Atlassian access tokens last one hour)";
            if (token.CanRefresh)
                return new JiraConnectionCheck(name, JiraCheckStatus.Pass, detail + $"; it is refreshed {JiraOAuthToken.RefreshMargin.TotalMinutes:0} min before it expires.", target: Site);
            return left < TimeSpan.FromMinutes(15)
                ? new JiraConnectionCheck(name, JiraCheckStatus.Warn, detail + " and cannot be refreshed.", Reconsent + " before it expires, with offline_access for a token that refreshes itself.", Site)
                : new JiraConnectionCheck(name, JiraCheckStatus.Pass, detail + ".", target: Site);
        }

        private JiraConnectionCheck RefreshCheck(JiraOAuthToken token)
        {
            const string name = JiraConnectionCheckNames.OAuthRefresh;
            if (!token.HasRefreshToken)
            {
                return SiteProbe.Fail(name, "The grant has no refresh token: offline_access was not granted, so the integration must ask for consent again every hour.",
                    "Add offline_access to the app's scopes (developer console, Permissions) and " + ReconsentInSentence + ".", Site);
            }
            if (!token.CanRefresh)
            {
                return new JiraConnectionCheck(name, JiraCheckStatus.Warn, "The grant has a refresh token, but this process has no client secret to use it with.",
                    "Load the token with its client credential (Invoke-JiraOAuthConsent -ClientCredential … -TokenCacheName …) so that it can refresh itself.", Site);
            }
            string cache = token.TokenCachePath == null ? "kept in memory only" : "kept in the token cache";
            return new JiraConnectionCheck(name, JiraCheckStatus.Pass,
                $"The token can refresh itself (refresh token and client secret present; refreshed {token.RefreshCount} time{(token.RefreshCount == 1 ? string.Empty : "s")} so far, {cache}). Each refresh rotates the refresh token; the new one replaces the old at once.", target: Site);
        }

        private JiraConnectionCheck ScopesCheck(JiraOAuthToken token)
        {
            const string name = JiraConnectionCheckNames.OAuthScopes;
            var granted = token.Scopes;
            var missing = (_options.RequiredScopes ?? Array.Empty<string>()).Where(s => !token.HasScope(s)).ToList();
            string list = granted.Length == 0 ? "none" : string.Join(" ", granted);
            if (missing.Count == 0)
                return new JiraConnectionCheck(name, JiraCheckStatus.Pass, $"Granted: {list}; every required scope is there.", target: Site);
            var why = JiraConnectorSettingService.ExpectedScopes.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            string needs = string.Join("; ", missing.Select(m => why.TryGetValue(m, out var use) ? $"{m} ({use})" : m));
            return SiteProbe.Fail(name, $"Granted: {list}; missing: {needs}.",
                $"Add the missing scopes to the app (developer console, Permissions) and {ReconsentInSentence} with -Scope {string.Join(", ", granted.Concat(missing).Distinct(StringComparer.Ordinal))}.", Site);
        }

        private async Task<JiraConnectionCheck> SiteAmongResourcesAsync(JiraOAuthToken token, CancellationToken ct)
        {
            const string name = JiraConnectionCheckNames.OAuthSite;
            try
            {
                var resources = await JiraOAuthService.GetAccessibleResourcesAsync(token, ct).ConfigureAwait(false);
                var site = resources.FirstOrDefault(r => r.IsJira && string.Equals(r.CloudId, _session.CloudId, StringComparison.OrdinalIgnoreCase));
                if (site != null)
                {
                    return new JiraConnectionCheck(name, JiraCheckStatus.Pass,
                        $"{site.Name} ({site.Url}, cloudId {site.CloudId}) is among the token's {resources.Count} accessible resource{(resources.Count == 1 ? string.Empty : "s")}.", target: Site);
                }
                string known = string.Join(", ", resources.Where(r => r.IsJira).Select(r => $"{r.Name} ({r.CloudId})"));
                return SiteProbe.Fail(name, $"The session's site (cloudId {_session.CloudId}) is not among the token's accessible resources (Jira sites: {(known.Length == 0 ? "none" : known)}).",
                    "The consenting user must pick this site on the consent page: " + ReconsentInSentence + " and choose it.", Site);
            }
            catch (JiraException e)
            {
                return SiteProbe.Fail(name, $"GET accessible-resources failed: {e.Message} ({e.ErrorId})", e.RecommendedAction, Site);
            }
        }

        /// <summary>Runs the project access audit to the end and summarises it in one check.</summary>
        private async Task<IReadOnlyList<JiraConnectionCheck>> ProjectAccessAsync(CancellationToken ct)
        {
            const string name = JiraConnectionCheckNames.ProjectAccess;
            string scope = _options.Projects?.Count > 0 ? string.Join(",", _options.Projects) : "every visible project";
            if (_options.SkipProjectAccess)
                return new[] { new JiraConnectionCheck(name, JiraCheckStatus.NotApplicable, "Skipped on request (-SkipProjectAccess).", target: scope) };
            if (!_credentialsOk) return new[] { Skipped(name, "Needs valid credentials.", scope) };

            var clock = Stopwatch.StartNew();
            var results = new List<JiraProjectAccess>();
            var errors = new List<JiraAccessAuditOutcome>();
            JiraConnectionCheck check;
            using (var audit = JiraProjectAccessAudit.Start(_session, _options.Audit, ct))
            {
                if (_options.Projects?.Count > 0)
                {
                    audit.AddKeys(_options.Projects);
                    audit.CompleteAdding();
                }
                else
                {
                    audit.AddAllProjects();
                }
                try
                {
                    await audit.Completion.ConfigureAwait(false);
                    while (audit.TryTake(out var outcome))
                    {
                        if (outcome.Result != null) results.Add(outcome.Result);
                        else errors.Add(outcome);
                    }
                    check = Summarise(results, errors, scope);
                }
                catch (JiraException e)
                {
                    check = new JiraConnectionCheck(name, JiraCheckStatus.Fail, $"The audit stopped: {e.Message} ({e.ErrorId})", e.RecommendedAction, scope);
                }
            }
            check.Duration = clock.Elapsed;
            return new[] { check };
        }

        private JiraConnectionCheck Summarise(List<JiraProjectAccess> results, List<JiraAccessAuditOutcome> errors, string scope)
        {
            const string name = JiraConnectionCheckNames.ProjectAccess;
            int total = results.Count + errors.Count;
            if (total == 0)
            {
                return new JiraConnectionCheck(name, JiraCheckStatus.Fail, $"{_user} can see no project.",
                    "Add the account to the projects the integration works in (Project settings → People, role Administrators).", scope);
            }
            var blocked = results.Where(r => !r.Ready).OrderBy(r => r.ProjectKey, StringComparer.Ordinal).ToList();
            if (blocked.Count == 0 && errors.Count == 0)
            {
                string role = _options.Audit.CheckRole ? $" and the {_options.Audit.Role} role" : string.Empty;
                return new JiraConnectionCheck(name, JiraCheckStatus.Pass,
                    $"All {total} project{(total == 1 ? " is" : "s are")} ready: {_user} holds the {results[0].Required.Length} required permissions{role} in each.", target: scope);
            }

            var items = blocked.Select(r => $"{r.ProjectKey} ({(r.Missing.Length > 0 ? "lacks " + string.Join(", ", r.Missing) : "role membership unknown")})")
                .Concat(errors.Select(e => $"{e.Target} ({e.Error.ErrorId})")).ToList();
            const int shown = 10;
            string list = string.Join("; ", items.Take(shown)) + (items.Count > shown ? $"; and {items.Count - shown} more" : string.Empty);
            bool onlyUnknown = errors.Count == 0 && blocked.All(r => r.Missing.Length == 0);
            var keys = blocked.Select(r => r.ProjectKey).Concat(errors.Select(e => e.Target)).ToList();
            string selection = keys.Count <= shown ? " -ProjectKey " + string.Join(",", keys) : string.Empty;
            string account = blocked.FirstOrDefault()?.AccountId;
            string other = _options.Audit.AccountId != null && account != null ? " -AccountId " + account : string.Empty;
            return new JiraConnectionCheck(name, onlyUnknown ? JiraCheckStatus.Warn : JiraCheckStatus.Fail,
                $"{items.Count} of {total} projects {(items.Count == 1 ? "is" : "are")} not ready: {list}.",
                $"Review with: Test-JiraProjectAccess{selection}{other} | Where-Object {{ -not $_.Ready }}; fix with: Test-JiraProjectAccess{selection}{other} | Where-Object {{ -not $_.Ready }} | Add-JiraProjectRoleActor",
                scope);
        }

        /// <summary>A test delivery with the token, and one without it that the listener must refuse.</summary>
        private async Task<IReadOnlyList<JiraConnectionCheck>> ListenerAsync(CancellationToken ct)
        {
            var url = _options.ListenerUrl;
            if (url == null)
            {
                return new[]
                {
                    new JiraConnectionCheck(JiraConnectionCheckNames.ListenerDelivery, JiraCheckStatus.NotApplicable, "No -ListenerUrl was given."),
                    new JiraConnectionCheck(JiraConnectionCheckNames.ListenerAuthentication, JiraCheckStatus.NotApplicable, "No -ListenerUrl was given."),
                };
            }
            string target = Security.Redactor.Url(url);
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                var bad = new JiraConnectionCheck(JiraConnectionCheckNames.ListenerDelivery, JiraCheckStatus.Fail, $"'{target}' is not an absolute http:// or https:// URL.",
                    "Pass the listener's full URL, as it is entered in the Automation rule's Send web request action.", target);
                return new[] { bad, Skipped(JiraConnectionCheckNames.ListenerAuthentication, "Needs a valid listener URL.", target) };
            }
            if (_options.ListenerToken != null && url.Scheme != Uri.UriSchemeHttps && !JiraHttpPipeline.IsLoopback(url))
            {
                var plain = new JiraConnectionCheck(JiraConnectionCheckNames.ListenerDelivery, JiraCheckStatus.Fail,
                    $"{target} is plain HTTP on another computer: the Bearer token would cross the network unencrypted, so no test delivery was sent.",
                    "Give the listener an https:// URL; Jira sends the token in the Authorization header of every delivery.", target);
                return new[] { plain, Skipped(JiraConnectionCheckNames.ListenerAuthentication, "Needs an https:// listener URL.", target) };
            }

            var first = await DeliverAsync(url, _options.ListenerToken, target, ct).ConfigureAwait(false);
            if (_options.ListenerToken == null)
                return new[] { first, new JiraConnectionCheck(JiraConnectionCheckNames.ListenerAuthentication, JiraCheckStatus.NotApplicable, "No -ListenerToken was given.", target: target) };
            return new[] { first, await DeliverAsync(url, null, target, ct, anonymous: true).ConfigureAwait(false) };
        }

        /// <summary>One test delivery through the webhook sender, with Jira's rules: a Service Management style body, no retry, no redirects.</summary>
        private async Task<JiraConnectionCheck> DeliverAsync(Uri url, SecureString token, string target, CancellationToken ct, bool anonymous = false)
        {
            var clock = Stopwatch.StartNew();
            var request = new JiraWebhookRequest
            {
                Uri = url,
                Token = token,
                Payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.ServiceManagement, RuleName = "JiraConnect test delivery" }),
                ConnectTimeout = _options.ListenerConnectLimit,
                ResponseTimeout = _options.ListenerResponseLimit,
            };
            var result = await JiraWebhookSender.SendAsync(request, ct).ConfigureAwait(false);
            var check = anonymous ? AnonymousCheck(result, target) : DeliveryCheck(result, target);
            check.Duration = clock.Elapsed;
            return check;
        }

        private JiraConnectionCheck DeliveryCheck(JiraWebhookResult result, string target)
        {
            const string name = JiraConnectionCheckNames.ListenerDelivery;
            string token = _options.ListenerToken == null ? "without a token" : "with the Bearer token";
            string timing = $"connected in {(result.ConnectTime ?? TimeSpan.Zero).TotalMilliseconds:0} ms, answered in {result.TotalTime.TotalMilliseconds:0} ms";
            switch (result.Outcome)
            {
                case JiraWebhookOutcome.Delivered:
                    return new JiraConnectionCheck(name, JiraCheckStatus.Pass, $"The listener accepted a test POST {token} with {result.StatusCode} ({timing}), within Jira's limits.", target: target);
                case JiraWebhookOutcome.Unauthorized:
                case JiraWebhookOutcome.Forbidden:
                    return SiteProbe.Fail(name, $"The listener rejected a test POST {token} with {result.StatusCode} ({timing}).",
                        _options.ListenerToken == null
                            ? "Pass the listener's token with -ListenerToken; Jira must send it as 'Authorization: Bearer <token>' in the Send web request action."
                            : "The token does not match the listener's credential: copy the current token from the listener's configuration into -ListenerToken and into the Automation rule's Authorization header (Bearer <token>).", target);
                case JiraWebhookOutcome.ResponseTimeout:
                    return SiteProbe.Fail(name, $"A test POST {token}: {result.Verdict}",
                        "Make the listener answer at once (queue the work and answer 2xx): Jira waits about 20 s and does not retry.", target);
                case JiraWebhookOutcome.ConnectTimeout:
                case JiraWebhookOutcome.ConnectionRefused:
                case JiraWebhookOutcome.DnsFailure:
                case JiraWebhookOutcome.ConnectionFailed:
                    return SiteProbe.Fail(name, $"A test POST {token} got no answer: {result.Verdict}",
                        "Check that the listener is running and reachable from Jira (firewall, and the allowlist on Jira Service Management Data Center 4.6+); Jira does not retry.", target);
                case JiraWebhookOutcome.Redirected:
                    return SiteProbe.Fail(name, $"A test POST {token}: {result.Verdict}", "Enter the final URL in the Automation rule: Jira does not follow redirects.", target);
                default:
                    return SiteProbe.Fail(name, $"A test POST {token}: {result.Verdict}", "Check the listener URL (path included) and the listener's logs; Jira counts only 2xx as success.", target);
            }
        }

        private static JiraConnectionCheck AnonymousCheck(JiraWebhookResult result, string target)
        {
            const string name = JiraConnectionCheckNames.ListenerAuthentication;
            if (result.Outcome == JiraWebhookOutcome.Unauthorized || result.Outcome == JiraWebhookOutcome.Forbidden)
                return new JiraConnectionCheck(name, JiraCheckStatus.Pass, $"The listener refuses a POST without the token ({result.StatusCode}).", target: target);
            if (result.Succeeded)
            {
                return new JiraConnectionCheck(name, JiraCheckStatus.Warn, $"The listener accepted a POST without any token ({result.StatusCode}): anyone who knows the URL can send it events.",
                    "Turn on credential verification on the listener so that it demands the Bearer token.", target);
            }
            return new JiraConnectionCheck(name, JiraCheckStatus.Warn, $"A POST without the token was not refused with 401 or 403: {result.Verdict}",
                "Check that the listener demands the Bearer token and answers 401 without it.", target);
        }

        private JiraConnectionCheck Skipped(string name, string why, string target = null) =>
            new JiraConnectionCheck(name, JiraCheckStatus.Skipped, why, target: target ?? Site);

        private static async Task<JiraConnectionCheck> Timed(Func<Task<JiraConnectionCheck>> check)
        {
            var clock = Stopwatch.StartNew();
            var result = await check().ConfigureAwait(false);
            result.Duration = clock.Elapsed;
            return result;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
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
        public const string ListenerRule = "ListenerRule";

        /// <summary>Every check, in the order they run.</summary>
        public static IReadOnlyList<string> All { get; } = JiraConnectionDiagnostics.Families.SelectMany(f => f.Names).ToArray();
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
        /// <summary>The check families, one step each, in the order they run.</summary>
        internal static readonly IReadOnlyList<ICheckFamily> Families = new ICheckFamily[]
        {
            new SiteChecks(),
            new CredentialChecks(),
            new CredentialExpiryCheck(),
            new DeploymentCheck(),
            new OAuthChecks(),
            new ProjectAccessCheck(),
            new ListenerChecks(),
            new ListenerRuleCheck(),
        };

        private readonly DiagnosticsContext _context;

        public JiraConnectionDiagnostics(JiraConnectionTestOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Session == null && options.Connection == null) throw new ArgumentException("Give a session or the connection options.", nameof(options));
            _context = new DiagnosticsContext(options);
            Steps = Families.Select(f => new JiraConnectionStep(f.Activity, ct => f.RunAsync(_context, ct))).ToArray();
        }

        public IReadOnlyList<JiraConnectionStep> Steps { get; }

        public void Dispose() => _context.Dispose();
    }
}

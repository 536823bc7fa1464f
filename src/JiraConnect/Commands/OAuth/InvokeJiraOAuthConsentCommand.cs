using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using JiraConnect.OAuth;
using JiraConnect.Services;
using static JiraConnect.Commands.CredentialParameters;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Asks a user to grant an OAuth 2.0 (3LO) app access to Jira and returns the tokens: opens the consent page,
    /// receives the redirect on a loopback listener, checks the state and exchanges the code.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "JiraOAuthConsent", HelpUri = JiraHelp.Root + "Invoke-JiraOAuthConsent.md", DefaultParameterSetName = BrowserSet)]
    [OutputType(typeof(JiraOAuthToken), ParameterSetName = new[] { BrowserSet, NoBrowserSet, CompleteSet })]
    [OutputType(typeof(JiraOAuthAuthorizationRequest), ParameterSetName = new[] { AuthorizationUrlOnlySet })]
    public sealed class InvokeJiraOAuthConsentCommand : JiraCmdlet
    {
        public const string BrowserSet = "Browser";
        public const string NoBrowserSet = "NoBrowser";
        public const string AuthorizationUrlOnlySet = "AuthorizationUrlOnly";
        public const string CompleteSet = "Complete";

        /// <summary>The app's client ID as user name and its secret as password.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Credential]
        [ValidateNotNull]
        public PSCredential ClientCredential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = BrowserSet)]
        [Parameter(Mandatory = true, ParameterSetName = NoBrowserSet)]
        [Parameter(Mandatory = true, ParameterSetName = AuthorizationUrlOnlySet)]
        [Alias("CallbackUrl")]
        [ValidateNotNull]
        public Uri RedirectUri { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = BrowserSet)]
        [Parameter(Mandatory = true, ParameterSetName = NoBrowserSet)]
        [Parameter(Mandatory = true, ParameterSetName = AuthorizationUrlOnlySet)]
        [ArgumentCompleter(typeof(OAuthScopeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Scope { get; set; }

        [Parameter(ParameterSetName = BrowserSet)]
        [Parameter(ParameterSetName = NoBrowserSet)]
        [Parameter(ParameterSetName = AuthorizationUrlOnlySet)]
        [JiraOAuthEnvironmentTransformation]
        [ValidateNotNull]
        public JiraOAuthEnvironment Environment { get; set; }

        [Parameter(ParameterSetName = BrowserSet)]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 300;

        [Parameter(Mandatory = true, ParameterSetName = NoBrowserSet)]
        public SwitchParameter NoBrowser { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AuthorizationUrlOnlySet)]
        public SwitchParameter AuthorizationUrlOnly { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CompleteSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public JiraOAuthAuthorizationRequest AuthorizationRequest { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CompleteSet)]
        [ValidateNotNullOrEmpty]
        public string AuthorizationResponse { get; set; }

        [Parameter(ParameterSetName = BrowserSet)]
        [Parameter(ParameterSetName = NoBrowserSet)]
        [Parameter(ParameterSetName = CompleteSet)]
        [ValidateNotNullOrEmpty]
        public string TokenCachePath { get; set; }

        [Parameter(ParameterSetName = BrowserSet)]
        [Parameter(ParameterSetName = NoBrowserSet)]
        [Parameter(ParameterSetName = CompleteSet)]
        [ValidateNotNullOrEmpty]
        public string TokenCacheName { get; set; }

        [Parameter(ParameterSetName = BrowserSet)]
        [Parameter(ParameterSetName = NoBrowserSet)]
        [Parameter(ParameterSetName = CompleteSet)]
        public SwitchParameter AllowPlainTextTokenCache { get; set; }

        [Parameter(ParameterSetName = BrowserSet)]
        [Parameter(ParameterSetName = NoBrowserSet)]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            string clientId = UserNameOf(ClientCredential);
            JiraTokenCache cache = Guard(OpenCache);
            JiraOAuthAuthorizationRequest request = AuthorizationRequest
                ?? Guard(() => JiraOAuthAuthorizationRequest.Create(Environment, clientId, RedirectUri, Scope));

            if (ParameterSetName == AuthorizationUrlOnlySet)
            {
                WriteObject(request);
                return;
            }
            if (ParameterSetName == CompleteSet && !string.Equals(request.ClientId, clientId, StringComparison.Ordinal))
            {
                ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    $"The authorization request was made for client {request.ClientId}, not {clientId}.", clientId,
                    "Pass the -ClientCredential of the app that made the request.");
            }

            try
            {
                if (cache != null && !Force && ParameterSetName != CompleteSet)
                {
                    var cached = Await(ct => JiraOAuthService.TryLoadCachedAsync(cache, request.Environment, clientId, ClientCredential.Password, request.Scopes, ct));
                    if (cached != null)
                    {
                        WriteVerbose($"Using the grant cached in {cache.Path}; no consent needed (add -Force to ask again).");
                        Emit(cached, request);
                        return;
                    }
                }

                string code;
                switch (ParameterSetName)
                {
                    case NoBrowserSet:
                        code = ReadPastedResponse(request);
                        break;
                    case CompleteSet:
                        code = JiraOAuthService.ReadAuthorizationResponse(request, AuthorizationResponse);
                        break;
                    default:
                        bool interactive = IsInteractive();
                        string why = JiraOAuthService.WhyNoBrowser(interactive);
                        if (why == null || interactive) Say(why == null
                            ? $"Opening the consent page in the browser. If it does not open, go to:{System.Environment.NewLine}{request.Url.AbsoluteUri}"
                            : $"No browser can be opened here ({why}). Open this address in a browser on this computer, sign in and click Accept:{System.Environment.NewLine}{request.Url.AbsoluteUri}");
                        code = Await(ct => JiraOAuthService.ReceiveCodeAsync(request, interactive, TimeSpan.FromSeconds(TimeoutSec), ct));
                        break;
                }
                var token = Await(ct => JiraOAuthService.ExchangeCodeAsync(request, ClientCredential.Password, code, cache, ct));
                Emit(token, request);
            }
            catch (JiraException e)
            {
                ThrowTerminating(e);
            }
        }

        private JiraTokenCache OpenCache()
        {
            if (TokenCachePath != null && TokenCacheName != null)
            {
                throw new JiraException(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "-TokenCachePath and -TokenCacheName cannot be used together.", TokenCacheName, "Pass one of them.");
            }
            if (TokenCachePath == null && TokenCacheName == null) return null;
            string path = TokenCachePath != null
                ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(TokenCachePath)
                : JiraTokenCache.PathForName(TokenCacheName);
            return JiraTokenCache.Open(path, AllowPlainTextTokenCache);
        }

        private string ReadPastedResponse(JiraOAuthAuthorizationRequest request)
        {
            if (!IsInteractive())
            {
                throw new JiraException(JiraErrorId.OAuthInteractionRequired, JiraErrorKind.InvalidOperation,
                    "-NoBrowser needs someone to paste the redirect address, but this PowerShell session is not interactive.", request.RedirectUri.GetLeftPart(UriPartial.Path),
                    "Run the consent once interactively with -TokenCacheName (the runbook then reuses the cached grant), or use -AuthorizationUrlOnly and complete it with -AuthorizationRequest and -AuthorizationResponse.");
            }
            Say("Open this address in a browser on any device, sign in and click Accept:" + System.Environment.NewLine + request.Url.AbsoluteUri);
            Say("The browser then goes to " + request.RedirectUri.GetLeftPart(UriPartial.Path) + " (the page may not load). Paste that whole address, or just the code:");
            var secure = Host.UI.ReadLineAsSecureString();
            if (secure == null || secure.Length == 0)
            {
                throw new JiraException(JiraErrorId.OAuthInvalidAuthorizationResponse, JiraErrorKind.InvalidArgument,
                    "Nothing was pasted.", request.RedirectUri.GetLeftPart(UriPartial.Path), "Run Invoke-JiraOAuthConsent -NoBrowser again and paste the address the browser was sent to.");
            }
            return JiraOAuthService.ReadAuthorizationResponse(request, new System.Net.NetworkCredential(string.Empty, secure).Password);
        }

        private bool IsInteractive()
        {
            if (Host?.UI == null || string.Equals(Host.Name, "Default Host", StringComparison.OrdinalIgnoreCase)) return false;
            // A console whose input is a pipe or a file has nobody at the keyboard.
            if (string.Equals(Host.Name, "ConsoleHost", StringComparison.OrdinalIgnoreCase) && Console.IsInputRedirected) return false;
            return !System.Environment.GetCommandLineArgs().Skip(1).Any(a =>
                a.Length >= 5 && "-noninteractive".StartsWith(a.ToLowerInvariant(), StringComparison.Ordinal));
        }

        private void Emit(JiraOAuthToken token, JiraOAuthAuthorizationRequest request)
        {
            var notGranted = request.Scopes.Where(s => !token.HasScope(s)).ToList();
            if (!token.HasRefreshToken)
            {
                WriteWarning($"offline_access was not granted, so there is no refresh token: the access token stops working at {token.ExpiresAt.ToLocalTime():yyyy-MM-dd HH:mm zzz} and consent is needed again. Add offline_access to -Scope (and to the app's scopes) for unattended use.");
            }
            if (notGranted.Count > 0 && !(notGranted.Count == 1 && notGranted[0] == JiraOAuthService.OfflineAccess && !token.HasRefreshToken))
            {
                WriteWarning("These scopes were requested but not granted: " + string.Join(", ", notGranted) + ".");
            }
            if (token.TokenCachePath != null) WriteVerbose("The token is cached in " + token.TokenCachePath + "; rotated refresh tokens are written there before use.");
            WriteObject(token);
        }

        private void Say(string message) =>
            WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" });
    }
}

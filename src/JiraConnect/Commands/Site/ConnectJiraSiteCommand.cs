using System;
using System.Management.Automation;
using System.Security;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.Services;
using static JiraConnect.Commands.CredentialParameters;

namespace JiraConnect.Commands
{
    /// <summary>Connects to a Jira Cloud site or a Jira Server / Data Center instance and makes the session the default.</summary>
    [Cmdlet(VerbsCommunications.Connect, "JiraSite", HelpUri = JiraHelp.Root + "Connect-JiraSite.md", DefaultParameterSetName = CredentialSet)]
    [OutputType(typeof(JiraSession))]
    public sealed class ConnectJiraSiteCommand : JiraCmdlet
    {
        public const string CredentialSet = "Credential";
        public const string PersonalAccessTokenSet = "PersonalAccessToken";
        public const string OAuthSet = "OAuth";
        public const string ScopedApiTokenSet = "ScopedApiToken";
        public const string ClientCredentialSet = "ClientCredential";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CredentialSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PersonalAccessTokenSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = OAuthSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ScopedApiTokenSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ClientCredentialSet)]
        [Alias("SiteUrl", "BaseUrl")]
        public Uri Url { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Parameter(Mandatory = true, ParameterSetName = ScopedApiTokenSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = OAuthSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public JiraOAuthToken OAuthToken { get; set; }

        [Parameter(ParameterSetName = OAuthSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = ScopedApiTokenSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ClientCredentialSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string CloudId { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        [Parameter(ParameterSetName = ScopedApiTokenSet)]
        [Parameter(ParameterSetName = CredentialSet)]
        [Parameter(ParameterSetName = ClientCredentialSet)]
        [ValidateNotNull]
        public Uri ApiGatewayUrl { get; set; }

        /// <summary>A service account's OAuth 2.0 client credentials: client ID as the user name, client secret as the password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientCredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential ClientCredential { get; set; }

        [Parameter(ParameterSetName = ClientCredentialSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(OAuthScopeCompleter))]
        public string[] Scope { get; set; }

        /// <summary>Jira Cloud client credentials: where the token endpoint and the API gateway are (default Atlassian's).</summary>
        [Parameter(ParameterSetName = ClientCredentialSet)]
        [JiraOAuthEnvironmentTransformation]
        [ValidateNotNull]
        public JiraOAuthEnvironment Environment { get; set; }

        /// <summary>When the credential expires (API token, personal access token, client secret, OAuth grant), for the CredentialExpiry check.</summary>
        [Parameter]
        public DateTimeOffset TokenExpiresAt { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PersonalAccessTokenSet)]
        [ValidateNotNull]
        public SecureString PersonalAccessToken { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = 3;

        [Parameter]
        public Uri Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential ProxyCredential { get; set; }

        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        protected override void ProcessRecord()
        {
            if (NoProxy && Proxy != null)
            {
                ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "-NoProxy and -Proxy cannot be used together.", Proxy, "Pass one of them.");
            }
            if (SkipCertificateCheck)
            {
                WriteWarning("-SkipCertificateCheck turns off server certificate validation for this session: anyone on the network path could read the credentials. Prefer trusting the private CA on this machine.");
            }

            JiraAuthentication authentication = null;
            if (ParameterSetName != ClientCredentialSet)
            {
                authentication = Guard(() => ParameterSetName == OAuthSet ? JiraAuthentication.OAuth(OAuthToken)
                    : CreateAuthentication(Credential, PersonalAccessToken));
            }
            else if (Url == null && CloudId == null)
            {
                ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "-ClientCredential needs the site: -Url or (Jira Cloud) -CloudId.", ClientCredential.UserName, "Pass -Url with the site's address, or -CloudId.");
            }

            var options = new JiraConnectionOptions
            {
                Url = Url,
                Authentication = authentication,
                Name = Name,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                Retry = new RetryPolicy { MaxRetries = MaximumRetryCount },
                Proxy = Proxy,
                ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                NoProxy = NoProxy,
                SkipCertificateCheck = SkipCertificateCheck,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                CloudId = CloudId,
                ApiGatewayUrl = ApiGatewayUrl ?? Environment?.ApiGatewayUrl,
                OAuthToken = ParameterSetName == OAuthSet ? OAuthToken : null,
                CredentialExpiresAt = MyInvocation.BoundParameters.ContainsKey(nameof(TokenExpiresAt)) ? TokenExpiresAt : (DateTimeOffset?)null,
            };
            if (ParameterSetName == ClientCredentialSet)
            {
                options.ClientId = UserNameOf(ClientCredential);
                options.ClientSecret = ClientCredential.Password;
                options.Scopes = Scope;
                options.TokenUrl = Environment?.TokenUrl;
            }

            JiraSession session = null;
            try
            {
                session = Await(ct => JiraConnector.ConnectAsync(options, ct));
            }
            catch (JiraException e)
            {
                ThrowTerminating(e, (object)Url ?? CloudId);
            }
            JiraSessionRegistry.Add(session);
            WriteVerbose($"Connected to {session.SiteUrl} ({session.DeploymentType} {session.Version}, REST v{session.RestApiVersion}) as {session.User}"
                + (session.CloudId != null ? $" through {session.ApiBaseUrl}" : string.Empty) + $"; session '{session.Name}' is now the default.");
            if (session.Note != null) WriteVerbose(session.Note);
            WriteObject(session);
        }
    }
}

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

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CredentialSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PersonalAccessTokenSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = OAuthSet)]
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ScopedApiTokenSet)]
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
        [ValidateNotNullOrEmpty]
        public string CloudId { get; set; }

        [Parameter(ParameterSetName = OAuthSet)]
        [Parameter(ParameterSetName = ScopedApiTokenSet)]
        [ValidateNotNull]
        public Uri ApiGatewayUrl { get; set; }

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

            JiraAuthentication authentication = Guard(() => ParameterSetName == OAuthSet ? JiraAuthentication.OAuth(OAuthToken)
                : CreateAuthentication(Credential, PersonalAccessToken));

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
                ApiGatewayUrl = ApiGatewayUrl,
                OAuthToken = ParameterSetName == OAuthSet ? OAuthToken : null,
            };

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
            WriteObject(session);
        }
    }
}

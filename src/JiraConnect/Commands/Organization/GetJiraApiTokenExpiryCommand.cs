using System;
using System.Management.Automation;
using System.Security;
using JiraConnect.ServiceAccounts;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    /// <summary>Lists the user API tokens of an Atlassian organization with their expiry and last use (organization admin API).</summary>
    [Cmdlet(VerbsCommon.Get, "JiraApiTokenExpiry", HelpUri = JiraHelp.Root + "Get-JiraApiTokenExpiry.md")]
    [OutputType(typeof(JiraApiTokenExpiry))]
    public sealed class GetJiraApiTokenExpiryCommand : JiraCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("OrgId")]
        [ValidateNotNullOrEmpty]
        public string OrganizationId { get; set; }

        /// <summary>An organization API key with read:tokens:admin.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        public SecureString AdminApiKey { get; set; }

        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Email { get; set; }

        [Parameter]
        [ValidateRange(0, 3650)]
        public int ExpiringWithinDays { get; set; }

        /// <summary>Where the admin API is: 'Atlassian' (api.atlassian.com, the default), a base URL, or a hashtable with ApiGatewayUrl.</summary>
        [Parameter]
        [JiraOAuthEnvironmentTransformation]
        [ValidateNotNull]
        public JiraOAuthEnvironment Environment { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        protected override void ProcessRecord()
        {
            var query = new JiraApiTokenQuery
            {
                OrganizationId = OrganizationId,
                AdminApiKey = AdminApiKey,
                AdminApiUrl = Environment?.ApiGatewayUrl,
                Email = Email,
                ExpiringWithin = MyInvocation.BoundParameters.ContainsKey(nameof(ExpiringWithinDays)) ? TimeSpan.FromDays(ExpiringWithinDays) : (TimeSpan?)null,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
            };
            try
            {
                WriteObject(Await(ct => JiraApiTokenExpiryService.ListAsync(query, ct)), enumerateCollection: true);
            }
            catch (JiraException e)
            {
                WriteError(e, e.Target ?? OrganizationId);
            }
        }
    }
}

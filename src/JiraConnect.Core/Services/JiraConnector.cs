using System;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

namespace JiraConnect.Services
{
    /// <summary>Opens a session: detects the deployment, picks the REST version and proves the credentials work.</summary>
    public static class JiraConnector
    {
        public static async Task<JiraSession> ConnectAsync(JiraConnectionOptions options, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var client = new JiraClient(options);
            try
            {
                // serverInfo answers on Cloud and Data Center alike (REST v2); it allows anonymous access, so the
                // X-Seraph-LoginReason check in the client is what catches wrong credentials here.
                var info = await client.GetAsync<ServerInfoDto>(client.Resolve("/rest/api/2/serverInfo"), cancellationToken).ConfigureAwait(false);
                bool cloud = string.Equals(info?.DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);
                client.ApiBaseUrl = new Uri(client.SiteUrl, cloud ? "rest/api/3/" : "rest/api/2/");

                var me = await client.GetAsync<UserDto>(client.Resolve("myself"), cancellationToken).ConfigureAwait(false);
                var user = ToUser(me);
                var type = options.Authentication == null
                    ? JiraAuthenticationType.PersonalAccessToken
                    : options.Authentication.Scheme == "Basic"
                        ? (cloud ? JiraAuthenticationType.ApiToken : JiraAuthenticationType.Password)
                        : JiraAuthenticationType.PersonalAccessToken;
                string name = string.IsNullOrWhiteSpace(options.Name) ? client.SiteUrl.Host : options.Name;
                return new JiraSession(name, client, info?.DeploymentType ?? "Server", info?.Version, info?.ServerTitle, type, user);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        internal static JiraUser ToUser(UserDto dto) => dto == null ? null : new JiraUser
        {
            AccountId = dto.AccountId,
            Name = dto.Name,
            DisplayName = dto.DisplayName,
            EmailAddress = dto.EmailAddress,
            Active = dto.Active,
            AccountType = dto.AccountType,
            TimeZone = dto.TimeZone,
        };
    }
}

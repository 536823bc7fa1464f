using System;
using System.Collections.Generic;
using JiraConnect.Http;

namespace JiraConnect
{
    /// <summary>A connection to one Jira site. Holds its HTTP client; never exposes a credential.</summary>
    public sealed class JiraSession : IDisposable
    {
        internal JiraSession(string name, JiraClient client, string deploymentType, string version, string serverTitle,
            JiraAuthenticationType authenticationType, JiraUser user)
        {
            Name = name;
            Client = client;
            DeploymentType = deploymentType;
            Version = version;
            ServerTitle = serverTitle;
            AuthenticationType = authenticationType;
            User = user;
            ConnectedAt = DateTimeOffset.Now;
        }

        public string Name { get; }
        public Uri SiteUrl => Client.SiteUrl;
        public Uri ApiBaseUrl => Client.ApiBaseUrl;
        /// <summary>Cloud, Server or DataCenter.</summary>
        public string DeploymentType { get; }
        public bool IsCloud => string.Equals(DeploymentType, "Cloud", StringComparison.OrdinalIgnoreCase);
        public string Version { get; }
        public string ServerTitle { get; }
        /// <summary>3 on Cloud, 2 on Server and Data Center.</summary>
        public string RestApiVersion => IsCloud ? "3" : "2";
        public JiraAuthenticationType AuthenticationType { get; }
        public JiraUser User { get; }
        public DateTimeOffset ConnectedAt { get; }
        public bool IsDefault => ReferenceEquals(JiraSessionRegistry.Default, this);
        public bool IsClosed { get; private set; }

        internal JiraClient Client { get; }

        /// <summary>Project keys cached for tab completion.</summary>
        internal IReadOnlyList<string> CachedProjectKeys { get; set; }
        internal DateTimeOffset CachedProjectKeysAt { get; set; }

        public override string ToString() => Name + " (" + SiteUrl + ")";

        public void Dispose()
        {
            IsClosed = true;
            Client.Dispose();
        }
    }
}

using System;

namespace JiraConnect
{
    /// <summary>
    /// Where OAuth 2.0 (3LO) happens: the authorization page, the token endpoint and the API gateway. The default is
    /// Atlassian's; tests point all three at an emulator. PowerShell converts a hashtable with these property names.
    /// </summary>
    public sealed class JiraOAuthEnvironment
    {
        public const string AtlassianAudience = "api.atlassian.com";

        private Uri _gateway;

        public JiraOAuthEnvironment() { }

        public string Name { get; set; } = "Custom";

        /// <summary>The consent page, https://auth.atlassian.com/authorize.</summary>
        public Uri AuthorizationUrl { get; set; }

        /// <summary>The token endpoint, https://auth.atlassian.com/oauth/token.</summary>
        public Uri TokenUrl { get; set; }

        /// <summary>The API gateway, https://api.atlassian.com/ (always ends in a slash).</summary>
        public Uri ApiGatewayUrl
        {
            get => _gateway;
            set => _gateway = value == null ? null : new Uri(value.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? value.AbsoluteUri : value.AbsoluteUri + "/");
        }

        /// <summary>The audience query parameter of the authorization request.</summary>
        public string Audience { get; set; } = AtlassianAudience;

        /// <summary>auth.atlassian.com and api.atlassian.com.</summary>
        public static JiraOAuthEnvironment Atlassian => new JiraOAuthEnvironment
        {
            Name = "Atlassian",
            AuthorizationUrl = new Uri("https://auth.atlassian.com/authorize"),
            TokenUrl = new Uri("https://auth.atlassian.com/oauth/token"),
            ApiGatewayUrl = new Uri("https://api.atlassian.com/"),
        };

        /// <summary>All three on one host, laid out as Atlassian's: /authorize, /oauth/token and the gateway at the root.</summary>
        public static JiraOAuthEnvironment ForHost(Uri baseUrl)
        {
            if (baseUrl == null || !baseUrl.IsAbsoluteUri) throw new ArgumentException("An absolute base URL is required.", nameof(baseUrl));
            var root = new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + "/");
            return new JiraOAuthEnvironment
            {
                Name = root.Authority,
                AuthorizationUrl = new Uri(root, "authorize"),
                TokenUrl = new Uri(root, "oauth/token"),
                ApiGatewayUrl = root,
            };
        }

        /// <summary>GET …/oauth/token/accessible-resources on the gateway.</summary>
        public Uri AccessibleResourcesUrl => new Uri(ApiGatewayUrl, "oauth/token/accessible-resources");

        /// <summary>The root of one site's Jira REST API through the gateway: …/ex/jira/{cloudId}/.</summary>
        public Uri JiraRoot(string cloudId) => new Uri(ApiGatewayUrl, "ex/jira/" + Uri.EscapeDataString(cloudId) + "/");

        internal void Validate()
        {
            foreach (var (name, url) in new[] { ("AuthorizationUrl", AuthorizationUrl), ("TokenUrl", TokenUrl), ("ApiGatewayUrl", ApiGatewayUrl) })
            {
                if (url == null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument,
                        $"The OAuth environment's {name} must be an absolute http:// or https:// URL.", url?.OriginalString,
                        "Leave -Environment out for Atlassian's endpoints, or give AuthorizationUrl, TokenUrl and ApiGatewayUrl.");
                }
            }
        }

        public override string ToString() => Name;
    }
}

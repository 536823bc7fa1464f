using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace JiraConnect
{
    /// <summary>
    /// One authorization request: the consent URL to open, and the state it must come back with. Output by
    /// Invoke-JiraOAuthConsent -AuthorizationUrlOnly for automation that receives the redirect elsewhere.
    /// </summary>
    public sealed class JiraOAuthAuthorizationRequest
    {
        internal JiraOAuthAuthorizationRequest(JiraOAuthEnvironment environment, string clientId, Uri redirectUri, IReadOnlyList<string> scopes, string state)
        {
            Environment = environment;
            ClientId = clientId;
            RedirectUri = redirectUri;
            Scopes = scopes.ToArray();
            State = state;
            CreatedAt = DateTimeOffset.Now;
            var query = new StringBuilder()
                .Append("audience=").Append(Uri.EscapeDataString(environment.Audience ?? JiraOAuthEnvironment.AtlassianAudience))
                .Append("&client_id=").Append(Uri.EscapeDataString(clientId))
                .Append("&scope=").Append(Uri.EscapeDataString(string.Join(" ", Scopes)))
                .Append("&redirect_uri=").Append(Uri.EscapeDataString(redirectUri.OriginalString))
                .Append("&state=").Append(Uri.EscapeDataString(state))
                .Append("&response_type=code&prompt=consent");
            Url = new PasteableUri(new UriBuilder(environment.AuthorizationUrl) { Query = query.ToString() }.Uri.AbsoluteUri);
        }

        /// <summary>
        /// The consent page to open in a browser. Shown, converted to a string or interpolated, it is the escaped
        /// address (a space is %20, reserved characters are percent-encoded), ready to paste.
        /// </summary>
        public Uri Url { get; }
        public string ClientId { get; }
        public Uri RedirectUri { get; }
        public string[] Scopes { get; }
        /// <summary>The unguessable value the redirect must carry back (not a credential: it only binds the answer to this request).</summary>
        public string State { get; }
        public JiraOAuthEnvironment Environment { get; }
        public DateTimeOffset CreatedAt { get; }

        public override string ToString() => Url.AbsoluteUri;

        /// <summary>A new request with a fresh 256-bit state.</summary>
        public static JiraOAuthAuthorizationRequest Create(JiraOAuthEnvironment environment, string clientId, Uri redirectUri, IEnumerable<string> scopes)
        {
            environment = environment ?? JiraOAuthEnvironment.Atlassian;
            environment.Validate();
            if (string.IsNullOrWhiteSpace(clientId))
                throw new JiraException(JiraErrorId.InvalidArgument, JiraErrorKind.InvalidArgument, "The client ID is empty.", null,
                    "Pass the app's client ID as the user name of -ClientCredential (developer console, your app, Settings).");
            if (redirectUri == null || !redirectUri.IsAbsoluteUri || (redirectUri.Scheme != Uri.UriSchemeHttp && redirectUri.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(redirectUri.Fragment))
                throw new JiraException(JiraErrorId.InvalidRedirectUri, JiraErrorKind.InvalidArgument,
                    "The redirect URI must be an absolute http:// or https:// URL without a fragment.", redirectUri?.OriginalString,
                    "Pass the callback URL registered for the app in the developer console (Authorization, OAuth 2.0 (3LO)), for example http://localhost:8765/callback.");
            var list = (scopes ?? Enumerable.Empty<string>())
                .SelectMany(s => (s ?? string.Empty).Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal).ToList();
            if (list.Count == 0)
                throw new JiraException(JiraErrorId.InvalidArgument, JiraErrorKind.InvalidArgument, "No scope was requested.", null,
                    "Pass -Scope, for example read:jira-work, read:jira-user, offline_access.");
            return new JiraOAuthAuthorizationRequest(environment, clientId.Trim(), redirectUri, list, NewState());
        }

        private static string NewState()
        {
            var bytes = new byte[32];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
    }

    /// <summary>A URI whose text (ToString, so also views and "$uri" in PowerShell) is its escaped form, not Uri's unescaped one.</summary>
    internal sealed class PasteableUri : Uri
    {
        public PasteableUri(string uri) : base(uri, UriKind.Absolute) { }

        public override string ToString() => AbsoluteUri;
    }
}

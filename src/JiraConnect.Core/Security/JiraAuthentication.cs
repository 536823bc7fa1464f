using System;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Security
{
    /// <summary>How requests authenticate. Secrets stay in SecureString until a header is built.</summary>
    public abstract class JiraAuthentication
    {
        /// <summary>The HTTP authentication scheme: Basic or Bearer.</summary>
        public abstract string Scheme { get; }

        /// <summary>The header for one request; an OAuth token refreshes itself here when it is about to expire.</summary>
        internal abstract Task<AuthenticationHeaderValue> CreateHeaderAsync(bool forceRefresh, CancellationToken cancellationToken);

        /// <summary>True when a 401 may be cured by refreshing the credential once.</summary>
        internal virtual bool CanRefresh => false;

        public override string ToString() => Scheme;

        private static JiraException Empty(string message, string recommendedAction) =>
            new JiraException(JiraErrorId.CredentialEmpty, JiraErrorKind.InvalidArgument, message, null, recommendedAction);

        /// <summary>Email + API token (Cloud) or user name + password (Data Center).</summary>
        public static JiraAuthentication Basic(string userName, SecureString secret) => new BasicAuthentication(userName, secret);

        /// <summary>A personal access token (Data Center) or an OAuth access token.</summary>
        public static JiraAuthentication Bearer(SecureString token) => new BearerAuthentication(token);

        /// <summary>An OAuth 2.0 (3LO) token that refreshes itself before it expires.</summary>
        public static JiraAuthentication OAuth(JiraOAuthToken token) => new OAuthAuthentication(token);

        private sealed class OAuthAuthentication : JiraAuthentication
        {
            public OAuthAuthentication(JiraOAuthToken token) { Token = token ?? throw new ArgumentNullException(nameof(token)); }

            public JiraOAuthToken Token { get; }

            public override string Scheme => "Bearer";

            internal override bool CanRefresh => Token.CanRefresh;

            internal override Task<AuthenticationHeaderValue> CreateHeaderAsync(bool forceRefresh, CancellationToken cancellationToken) =>
                Token.GetHeaderAsync(forceRefresh, cancellationToken);
        }

        private sealed class BasicAuthentication : JiraAuthentication
        {
            private readonly string _userName;
            private readonly SecureString _secret;
            public BasicAuthentication(string userName, SecureString secret)
            {
                if (string.IsNullOrEmpty(userName)) throw Empty("The user name or email address is empty.", "Pass the account's email address (Cloud) or user name (Data Center) as the user name of -Credential.");
                if (secret.IsEmpty()) throw Empty("The password or API token is empty.", "Pass the API token (Cloud) or the password (Data Center) as the password of -Credential.");
                _userName = userName;
                _secret = secret.Copy();
                _secret.MakeReadOnly();
            }

            public override string Scheme => "Basic";

            internal override Task<AuthenticationHeaderValue> CreateHeaderAsync(bool forceRefresh, CancellationToken cancellationToken) =>
                Task.FromResult(_secret.Use(s => new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(_userName + ":" + s)))));
        }

        private sealed class BearerAuthentication : JiraAuthentication
        {
            private readonly SecureString _token;
            public BearerAuthentication(SecureString token)
            {
                if (token.IsEmpty()) throw Empty("The token is empty.", "Pass the personal access token, for example from Read-Host -AsSecureString or a secret store.");
                _token = token.Copy();
                _token.MakeReadOnly();
            }

            public override string Scheme => "Bearer";

            internal override Task<AuthenticationHeaderValue> CreateHeaderAsync(bool forceRefresh, CancellationToken cancellationToken) =>
                Task.FromResult(_token.Use(s => new AuthenticationHeaderValue("Bearer", s)));
        }
    }
}

using System;
using System.Linq;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Diagnostics;
using JiraConnect.Http;
using JiraConnect.Http.Wire;
using JiraConnect.OAuth;
using JiraConnect.Security;

namespace JiraConnect
{
    /// <summary>
    /// OAuth 2.0 client credentials of a service account (Jira Cloud, or Jira Data Center's incoming service accounts):
    /// the client id, the secret (kept inside as a SecureString, never exposed, never written to disk) and the current
    /// access token. There is no refresh token: a new access token is requested shortly before the current one expires
    /// and whenever Jira refuses it. No secret appears in ToString() or a view.
    /// </summary>
    public sealed class JiraClientCredential
    {
        /// <summary>Cloud: https://auth.atlassian.com/oauth/token.</summary>
        public static readonly Uri AtlassianTokenUrl = new Uri("https://auth.atlassian.com/oauth/token");

        /// <summary>Data Center: the token endpoint below the base URL.</summary>
        public const string DataCenterTokenPath = "rest/oauth2/latest/token";

        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly SecureString _secret;
        private volatile OAuthGrant _grant;
        private int _tokenCount;
        private bool _jsonBody;

        internal JiraClientCredential(string clientId, SecureString clientSecret, Uri tokenUrl, string[] scopes, bool dataCenter)
        {
            if (string.IsNullOrWhiteSpace(clientId))
                throw new JiraException(JiraErrorId.CredentialEmpty, JiraErrorKind.InvalidArgument, "The client ID is empty.", null,
                    "Pass the service account's OAuth 2.0 client ID as the user name of -ClientCredential.");
            if (clientSecret.IsEmpty())
                throw new JiraException(JiraErrorId.CredentialEmpty, JiraErrorKind.InvalidArgument, "The client secret is empty.", clientId,
                    "Pass the service account's OAuth 2.0 client secret as the password of -ClientCredential.");
            ClientId = clientId.Trim();
            _secret = clientSecret.Copy();
            _secret.MakeReadOnly();
            TokenUrl = tokenUrl ?? throw new ArgumentNullException(nameof(tokenUrl));
            RequestedScopes = scopes?.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal).ToArray() ?? new string[0];
            IsDataCenter = dataCenter;
        }

        public string ClientId { get; }

        /// <summary>Where access tokens come from.</summary>
        public Uri TokenUrl { get; }

        /// <summary>True for Jira Data Center ({base}/rest/oauth2/latest/token, scopes READ and WRITE).</summary>
        public bool IsDataCenter { get; }

        /// <summary>The scopes asked for in the token request (none: every scope of the credential).</summary>
        public string[] RequestedScopes { get; }

        /// <summary>The scopes of the current access token, as the token endpoint reported them.</summary>
        public string[] Scopes => _grant?.Scopes.ToArray() ?? new string[0];

        /// <summary>When the current access token expires (a new one is requested before then).</summary>
        public DateTimeOffset? ExpiresAt => _grant?.ExpiresAt;

        /// <summary>When the current access token was obtained.</summary>
        public DateTimeOffset? ObtainedAt => _grant?.ObtainedAt;

        /// <summary>How long the current access token was issued for (one hour on Atlassian's endpoints).</summary>
        public TimeSpan? TokenLifetime => _grant == null ? (TimeSpan?)null : _grant.ExpiresAt - _grant.ObtainedAt;

        /// <summary>Always false: the client credentials grant has no refresh token.</summary>
        public bool HasRefreshToken => false;

        /// <summary>Access tokens obtained through this object.</summary>
        public int TokenCount => _tokenCount;

        /// <summary>The body the token endpoint accepted: form (application/x-www-form-urlencoded) or json.</summary>
        public string RequestFormat => _jsonBody ? "json" : "form";

        /// <summary>When the client secret itself expires, when the caller said so (-TokenExpiresAt).</summary>
        public DateTimeOffset? SecretExpiresAt { get; internal set; }

        public override string ToString() =>
            $"Client credentials for client {ClientId}" + (ExpiresAt is DateTimeOffset at ? $", token expires {at.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}" : ", no token yet");

        /// <summary>The Authorization header for a call: a new token first when there is none, it is about to expire, or Jira refused it.</summary>
        internal async Task<AuthenticationHeaderValue> GetHeaderAsync(bool forceNew, CancellationToken cancellationToken)
        {
            var seen = _grant;
            if (!forceNew && seen != null && !NeedsNewToken(seen)) return Header(seen);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var current = _grant;
                // Another caller got a new token while this one waited.
                if (current != null && !ReferenceEquals(current, seen) && !NeedsNewToken(current)) return Header(current);
                if (!forceNew && current != null && !NeedsNewToken(current)) return Header(current);
                var fresh = await ClientCredentialsTokenClient.RequestAsync(this, _secret, _jsonBody, json => _jsonBody = json, cancellationToken).ConfigureAwait(false);
                _grant = fresh;
                Interlocked.Increment(ref _tokenCount);
                JiraLog.Verbose($"Obtained an access token for client {ClientId} from {Redactor.Url(TokenUrl)}; it expires {fresh.ExpiresAt.ToLocalTime():HH:mm:ss zzz} (no refresh token: a new one is requested before then).");
                return Header(fresh);
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>Less than the margin left (five minutes, or a quarter of a shorter lifetime).</summary>
        internal static bool NeedsNewToken(OAuthGrant grant)
        {
            var lifetime = grant.ExpiresAt - grant.ObtainedAt;
            var margin = TimeSpan.FromTicks(Math.Min(JiraOAuthToken.RefreshMargin.Ticks, lifetime.Ticks / 4));
            return DateTimeOffset.UtcNow >= grant.ExpiresAt - margin;
        }

        private static AuthenticationHeaderValue Header(OAuthGrant grant) =>
            grant.AccessToken.Use(s => new AuthenticationHeaderValue("Bearer", s));
    }
}

namespace JiraConnect.Security
{
    /// <summary>Bearer access tokens from the client credentials grant; a 401 gets a new token and one more try.</summary>
    internal sealed class ClientCredentialsAuthentication : JiraAuthentication
    {
        public ClientCredentialsAuthentication(JiraClientCredential credential) { Credential = credential ?? throw new ArgumentNullException(nameof(credential)); }

        public JiraClientCredential Credential { get; }

        public override string Scheme => "Bearer";

        internal override bool CanRefresh => true;

        internal override Task<AuthenticationHeaderValue> CreateHeaderAsync(bool forceRefresh, CancellationToken cancellationToken) =>
            Credential.GetHeaderAsync(forceRefresh, cancellationToken);
    }
}

namespace JiraConnect.OAuth
{
    /// <summary>
    /// The client_credentials token request: a form body (grant_type, client_id, client_secret and scope when given),
    /// as working integrations send it; a server that wants JSON gets the same fields as JSON, and is remembered.
    /// Any refresh token in the answer is dropped.
    /// </summary>
    internal static class ClientCredentialsTokenClient
    {
        public static async Task<OAuthGrant> RequestAsync(JiraClientCredential credential, SecureString secret, bool json, Action<bool> acceptedJson, CancellationToken ct)
        {
            var url = credential.TokenUrl;
            // The body carries the client secret: never over plain HTTP to another machine.
            JiraHttpPipeline.EnsureTransportAllowed(url, allowUnencrypted: false);
            var response = await SendAsync(credential, secret, json, ct).ConfigureAwait(false);
            if (!json && WantsJson(response))
            {
                JiraLog.Verbose($"{Redactor.Url(url)} refused a form body ({(int)response.StatusCode}); sending the token request as JSON.");
                response = await SendAsync(credential, secret, true, ct).ConfigureAwait(false);
                if (response.IsSuccess) acceptedJson(true);
            }
            if (!response.IsSuccess) throw Failure(response, credential);
            return OAuthTokenClient.ReadGrant(response, url, keepRefreshToken: false);
        }

        private static async Task<JiraResponse> SendAsync(JiraClientCredential credential, SecureString secret, bool json, CancellationToken ct)
        {
            string scope = credential.RequestedScopes.Length == 0 ? null : string.Join(" ", credential.RequestedScopes);
            byte[] body = json
                ? OAuthTokenClient.JsonBody("client_credentials", credential.ClientId, secret, w => { if (scope != null) w.WriteString("scope", scope); })
                : secret.Use(s => Encoding.UTF8.GetBytes("grant_type=client_credentials&client_id=" + FormCodec.Encode(credential.ClientId, form: true)
                    + "&client_secret=" + FormCodec.Encode(s, form: true) + (scope != null ? "&scope=" + FormCodec.Encode(scope, form: true) : string.Empty)));
            try
            {
                return await OAuthTokenClient.PostAsync(credential.TokenUrl, body, json ? "application/json" : "application/x-www-form-urlencoded", ct).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }
        }

        /// <summary>415, or 400 invalid_request that speaks of JSON: the server takes JSON bodies only.</summary>
        private static bool WantsJson(JiraResponse response)
        {
            int status = (int)response.StatusCode;
            if (status == 415) return true;
            if (status != 400) return false;
            var (error, description) = OAuthTokenClient.ReadError(response);
            return error == "invalid_request" && (description ?? string.Empty).IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static JiraException Failure(JiraResponse response, JiraClientCredential credential)
        {
            var (error, description) = OAuthTokenClient.ReadError(response);
            int status = (int)response.StatusCode;
            string says = string.IsNullOrEmpty(error) ? $" ({status} {response.ReasonPhrase})" : $" ({status}, {error}: {Redactor.Text(description)})";
            if (status == 401 || error == "access_denied" || error == "invalid_client" || error == "unauthorized_client")
            {
                return new JiraOAuthException(JiraErrorId.ClientCredentialRejected, JiraErrorKind.Authentication,
                    $"The token endpoint refused the client ID and secret{says}: the secret is wrong, or the credential was revoked or has expired.",
                    credential.ClientId, error,
                    (credential.IsDataCenter
                        ? "In Jira administration (Service accounts), open the service account, check that the credential is active, create a new one if needed"
                        : "In Atlassian Administration (Directory, Service accounts), open the service account, check its OAuth 2.0 credentials, create a new one if it was revoked or expired (copy the secret at once: it is shown only once)")
                    + ", and connect again with -ClientCredential (client ID as the user name, secret as the password).");
            }
            if (error == "invalid_scope")
            {
                return new JiraOAuthException(JiraErrorId.OAuthScopeMissing, JiraErrorKind.PermissionDenied,
                    $"The token endpoint refused the scopes {string.Join(" ", credential.RequestedScopes)}{says}.", credential.ClientId, error,
                    credential.IsDataCenter ? "Ask only for scopes the service account has (READ, or WRITE, which includes READ), or leave -Scope out."
                        : "Ask only for scopes chosen when the credential was created, or leave -Scope out to get all of them.");
            }
            return new JiraOAuthException(JiraErrorId.OAuthTokenEndpointError, status >= 500 ? JiraErrorKind.ResourceUnavailable : JiraErrorKind.Protocol,
                $"The token endpoint answered with an error{says}.", Redactor.Url(response.Url), error,
                status >= 500 ? "Try again later." : "Check the token URL (-Environment) and the service account's credential.");
        }
    }
}

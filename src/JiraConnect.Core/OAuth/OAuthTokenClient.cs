using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;
using JiraConnect.Security;

namespace JiraConnect.OAuth
{
    /// <summary>
    /// The token endpoint: JSON bodies with the client id and secret in them (Atlassian supports no PKCE and no
    /// client authentication header), the authorization_code and refresh_token grants, and the OAuth error mapping.
    /// </summary>
    internal static class OAuthTokenClient
    {
        private static readonly Lazy<HttpClient> Http = new Lazy<HttpClient>(() =>
            JiraHttpPipeline.Create(new JiraConnectionOptions { Timeout = TimeSpan.FromSeconds(100), Retry = new RetryPolicy { MaxRetries = 0 } }));

        public static Task<OAuthGrant> ExchangeCodeAsync(JiraOAuthEnvironment environment, string clientId, SecureString clientSecret, string code, Uri redirectUri, CancellationToken ct) =>
            SendAsync(environment, clientId, clientSecret, "authorization_code", w =>
            {
                w.WriteString("code", code);
                w.WriteString("redirect_uri", redirectUri.OriginalString);
            }, ct);

        public static Task<OAuthGrant> RefreshAsync(JiraOAuthEnvironment environment, string clientId, SecureString clientSecret, OAuthGrant current, CancellationToken ct) =>
            current.RefreshToken.Use(refresh =>
                SendAsync(environment, clientId, clientSecret, "refresh_token", w => w.WriteString("refresh_token", refresh), ct));

        private static async Task<OAuthGrant> SendAsync(JiraOAuthEnvironment environment, string clientId, SecureString clientSecret, string grantType,
            Action<Utf8JsonWriter> writeGrant, CancellationToken ct)
        {
            var url = environment.TokenUrl;
            // The body carries the client secret: never over plain HTTP to another machine.
            JiraHttpPipeline.EnsureTransportAllowed(url, allowUnencrypted: false);
            byte[] body = JsonBody(grantType, clientId, clientSecret, writeGrant);

            JiraResponse response;
            try
            {
                response = await PostAsync(url, body, "application/json", ct).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }

            if (!response.IsSuccess) throw Failure(response, grantType, clientId);
            return ReadGrant(response, url, keepRefreshToken: true);
        }

        /// <summary>A JSON token request body: grant type, client id and secret, then the grant's own fields.</summary>
        internal static byte[] JsonBody(string grantType, string clientId, SecureString clientSecret, Action<Utf8JsonWriter> writeGrant) =>
            clientSecret.Use(secret =>
            {
                using (var stream = new MemoryStream())
                {
                    using (var w = new Utf8JsonWriter(stream))
                    {
                        w.WriteStartObject();
                        w.WriteString("grant_type", grantType);
                        w.WriteString("client_id", clientId);
                        w.WriteString("client_secret", secret);
                        writeGrant?.Invoke(w);
                        w.WriteEndObject();
                    }
                    return stream.ToArray();
                }
            });

        /// <summary>POSTs a token request body (cleared by the caller) and returns the buffered answer, whatever its status.</summary>
        internal static async Task<JiraResponse> PostAsync(Uri url, byte[] body, string contentType, CancellationToken ct)
        {
            using (var request = new HttpRequestMessage(HttpMethod.Post, url))
            {
                request.Headers.Accept.ParseAdd("application/json");
                // BufferedContent: the pipeline shares this array between attempts instead of copying it.
                request.Content = new BufferedContent(body);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                using (var message = await Http.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false))
                {
                    // The pipeline's own buffer, so clearing response.Body clears the only copy of the tokens.
                    return new JiraResponse(HttpMethod.Post, url, message, await BufferedContent.ReadBodyAsync(message).ConfigureAwait(false));
                }
            }
        }

        /// <summary>The grant in a successful token answer; the answer's bytes are cleared.</summary>
        internal static OAuthGrant ReadGrant(JiraResponse response, Uri url, bool keepRefreshToken)
        {
            TokenResponseDto dto;
            try
            {
                dto = JiraJson.Deserialize<TokenResponseDto>(response.Body);
            }
            catch (JsonException e)
            {
                throw new JiraProtocolException(JiraErrorId.InvalidJsonResponse, "The token endpoint's answer is not valid JSON.", Redactor.Url(url),
                    "Check the TokenUrl of the OAuth environment.", e);
            }
            finally
            {
                Array.Clear(response.Body, 0, response.Body.Length);
            }
            if (dto == null || string.IsNullOrEmpty(dto.AccessToken))
            {
                throw new JiraProtocolException(JiraErrorId.InvalidJsonResponse, "The token endpoint answered without an access_token.", Redactor.Url(url),
                    "Check the TokenUrl of the OAuth environment.");
            }
            var now = DateTimeOffset.UtcNow;
            var scopes = (dto.Scope ?? string.Empty).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            var grant = new OAuthGrant(dto.AccessToken.ToSecureString(), !keepRefreshToken || string.IsNullOrEmpty(dto.RefreshToken) ? null : dto.RefreshToken.ToSecureString(),
                dto.TokenType, now.AddSeconds(dto.ExpiresIn > 0 ? dto.ExpiresIn : 3600), scopes, now);
            dto.AccessToken = dto.RefreshToken = null;
            return grant;
        }

        /// <summary>The OAuth error code and description of an error answer, when it has them.</summary>
        internal static (string Error, string Description) ReadError(JiraResponse response)
        {
            try
            {
                var dto = JiraJson.Deserialize<OAuthErrorDto>(response.Body);
                return (dto?.Error, dto?.ErrorDescription);
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }

        private static JiraException Failure(JiraResponse response, string grantType, string clientId)
        {
            var (error, description) = ReadError(response);
            string target = Redactor.Url(response.Url);
            int status = (int)response.StatusCode;
            string says = string.IsNullOrEmpty(error) ? $" ({status} {response.ReasonPhrase})" : $" ({status}, {error}: {Redactor.Text(description)})";

            if (status == 401 || error == "access_denied" || error == "invalid_client" || error == "unauthorized_client")
            {
                return new JiraOAuthException(JiraErrorId.OAuthClientAuthenticationFailed, JiraErrorKind.Authentication,
                    $"The token endpoint rejected the app's client credentials{says}.", clientId, error,
                    "Check the client ID and secret in the developer console (your app, Settings); pass the client ID as the user name and the secret as the password of -ClientCredential.");
            }
            if (error == "invalid_grant")
            {
                return grantType == "refresh_token"
                    ? new JiraOAuthException(JiraErrorId.OAuthConsentRequired, JiraErrorKind.Authentication,
                        $"The refresh token is no longer valid{says}: it expired (unused for 90 days, or a year after consent), was revoked, or an old rotated token was reused, which revokes every token of the grant.",
                        clientId, error, "Run Invoke-JiraOAuthConsent again to grant consent (with -Force when you use a token cache).")
                    : new JiraOAuthException(JiraErrorId.OAuthAuthorizationCodeInvalid, JiraErrorKind.Authentication,
                        $"The authorization code was refused{says}: codes are single-use, short-lived, and bound to the app and the redirect URI.",
                        clientId, error, "Run Invoke-JiraOAuthConsent again; use the same -RedirectUri as in the authorization request.");
            }
            return new JiraOAuthException(JiraErrorId.OAuthTokenEndpointError, status >= 500 ? JiraErrorKind.ResourceUnavailable : JiraErrorKind.Protocol,
                $"The token endpoint answered with an error{says}.", target, error,
                status >= 500 ? "Try again later." : "Check the OAuth environment's TokenUrl and the app's settings in the developer console.");
        }
    }
}

using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Security;
using JiraConnect.ServiceAccounts;

namespace JiraConnect.Http
{
    /// <summary>
    /// Adds the session's credentials, and only to requests for the session's own origin (its site, or for gateway
    /// sessions the API gateway): whatever URL reaches the pipeline, no other host is ever sent them.
    /// </summary>
    internal sealed class AuthenticationHandler : DelegatingHandler
    {
        private readonly JiraAuthentication _authentication;
        private readonly bool _allowUnencrypted;
        private readonly CredentialOrigins _origins;

        public AuthenticationHandler(JiraAuthentication authentication, bool allowUnencrypted, CredentialOrigins origins)
        {
            _authentication = authentication;
            _allowUnencrypted = allowUnencrypted;
            _origins = origins;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (_authentication == null || !_origins.Allows(request.RequestUri))
            {
                request.Headers.Authorization = null;
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            JiraHttpPipeline.EnsureTransportAllowed(request.RequestUri, _allowUnencrypted);
            request.Headers.Authorization = await _authentication.CreateHeaderAsync(false, cancellationToken).ConfigureAwait(false);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !_authentication.CanRefresh) return response;

            // A token refused before its expiry (revoked, clock skew): refresh once and try again, unless the
            // gateway said the scope is missing, which no refresh cures.
            string body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (GatewayScope.IsScopeMismatch(body)) return response;
            response.Dispose();
            JiraLog.Verbose($"{request.Method} {Redactor.Url(request.RequestUri)} answered 401; refreshing the OAuth token and trying once more.");
            var again = RequestCopy.Create(request, request.RequestUri, request.Method, keepContent: true);
            again.Headers.Authorization = await _authentication.CreateHeaderAsync(true, cancellationToken).ConfigureAwait(false);
            return await base.SendAsync(again, cancellationToken).ConfigureAwait(false);
        }
    }
}

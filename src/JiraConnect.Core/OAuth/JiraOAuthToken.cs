using System;
using System.Linq;
using System.Net.Http.Headers;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.OAuth;
using JiraConnect.Security;

namespace JiraConnect
{
    /// <summary>
    /// An OAuth 2.0 (3LO) grant: the access token, the refresh token (with offline_access), expiry, granted scopes and
    /// the client id. It is live: every session and cmdlet that uses it refreshes it in place before it expires, and a
    /// rotated refresh token replaces the old one at once (on disk first when a token cache is attached).
    /// The client secret is kept inside, never exposed. No secret appears in ToString() or a view.
    /// </summary>
    public sealed class JiraOAuthToken
    {
        /// <summary>Access tokens with less than this left are refreshed before a call.</summary>
        public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

        private readonly SemaphoreSlim _refreshGate = new SemaphoreSlim(1, 1);
        private readonly SecureString _clientSecret;
        private volatile OAuthGrant _grant;
        private int _refreshCount;

        internal JiraOAuthToken(string clientId, SecureString clientSecret, JiraOAuthEnvironment environment, Uri redirectUri, OAuthGrant grant, JiraTokenCache cache)
        {
            ClientId = clientId;
            if (!clientSecret.IsEmpty())
            {
                _clientSecret = clientSecret.Copy();
                _clientSecret.MakeReadOnly();
            }
            Environment = environment;
            RedirectUri = redirectUri;
            _grant = grant;
            Cache = cache;
        }

        public string ClientId { get; }

        /// <summary>A copy of the current access token.</summary>
        public SecureString AccessToken => _grant.AccessToken.Copy();

        /// <summary>A copy of the current refresh token; null when offline_access was not granted.</summary>
        public SecureString RefreshToken => _grant.RefreshToken?.Copy();

        public string TokenType => _grant.TokenType;

        /// <summary>When the current access token expires.</summary>
        public DateTimeOffset ExpiresAt => _grant.ExpiresAt;

        /// <summary>The scopes the user granted (which may be fewer than those requested).</summary>
        public JiraTextList Scopes => new JiraTextList(_grant.Scopes);

        public bool HasRefreshToken => _grant.RefreshToken != null;

        /// <summary>True when the token can renew itself: a refresh token and the client secret are both known.</summary>
        public bool CanRefresh => HasRefreshToken && _clientSecret != null;

        public bool IsExpired => DateTimeOffset.UtcNow >= _grant.ExpiresAt;

        /// <summary>When the current access token was obtained.</summary>
        public DateTimeOffset ObtainedAt => _grant.ObtainedAt;

        /// <summary>Refreshes done through this object (each one rotated the refresh token).</summary>
        public int RefreshCount => _refreshCount;

        /// <summary>The callback URL the consent used.</summary>
        public Uri RedirectUri { get; }

        public JiraOAuthEnvironment Environment { get; }

        /// <summary>The file the token is persisted to, or null.</summary>
        public string TokenCachePath => Cache?.Path;

        internal JiraTokenCache Cache { get; }

        internal OAuthGrant Grant => _grant;

        internal bool HasClientSecret => _clientSecret != null;

        public bool HasScope(string scope) => _grant.Scopes.Contains(scope, StringComparer.Ordinal);

        public override string ToString() =>
            $"OAuth token for client {ClientId} ({string.Join(" ", _grant.Scopes)}), expires {_grant.ExpiresAt.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}";

        internal static bool NeedsRefresh(OAuthGrant grant) => DateTimeOffset.UtcNow >= grant.ExpiresAt - RefreshMargin;

        /// <summary>The Authorization header for a call, refreshing first when the access token is about to expire.</summary>
        internal async Task<AuthenticationHeaderValue> GetHeaderAsync(bool forceRefresh, CancellationToken cancellationToken)
        {
            var seen = _grant;
            if (!forceRefresh && !NeedsRefresh(seen)) return Header(seen);

            await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var current = _grant;
                if (!ReferenceEquals(current, seen) && !NeedsRefresh(current)) return Header(current);
                if (!forceRefresh && !NeedsRefresh(current)) return Header(current);
                if (!CanRefresh)
                {
                    if (!forceRefresh && DateTimeOffset.UtcNow < current.ExpiresAt) return Header(current);
                    throw new JiraOAuthException(JiraErrorId.OAuthRefreshUnavailable, JiraErrorKind.Authentication,
                        (DateTimeOffset.UtcNow < current.ExpiresAt ? "The access token was rejected" : $"The access token expired at {current.ExpiresAt.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}")
                        + (HasRefreshToken ? " and the client secret needed to refresh it is not known in this session." : " and there is no refresh token (the scope offline_access was not granted)."),
                        ClientId, null,
                        HasRefreshToken
                            ? "Pass -ClientCredential (client id and secret) to Invoke-JiraOAuthConsent with the token cache, or run the consent again."
                            : "Run Invoke-JiraOAuthConsent again, and add offline_access to -Scope so that the token can renew itself.");
                }
                await RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
                return Header(_grant);
            }
            finally
            {
                _refreshGate.Release();
            }
        }

        /// <summary>Refreshes now (used by the consent cmdlet for a cached token). Caller holds no lock.</summary>
        internal async Task RefreshAsync(CancellationToken cancellationToken)
        {
            await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { await RefreshLockedAsync(cancellationToken).ConfigureAwait(false); }
            finally { _refreshGate.Release(); }
        }

        private async Task RefreshLockedAsync(CancellationToken cancellationToken)
        {
            if (Cache == null)
            {
                var fresh = await OAuthTokenClient.RefreshAsync(Environment, ClientId, _clientSecret, _grant, cancellationToken).ConfigureAwait(false);
                Replace(fresh);
                return;
            }

            // Another process may have rotated the refresh token already: take the newer one from disk instead of
            // reusing ours (which, past the reuse interval, would revoke the whole grant).
            using (await Cache.LockAsync(cancellationToken).ConfigureAwait(false))
            {
                var onDisk = Cache.TryLoad();
                if (onDisk != null) Cache.EnsureSameEnvironment(onDisk, Environment);
                var current = _grant;
                if (onDisk != null && string.Equals(onDisk.ClientId, ClientId, StringComparison.Ordinal)
                    && onDisk.Grant.ObtainedAt > current.ObtainedAt && onDisk.Grant.RefreshToken != null)
                {
                    JiraLog.Verbose("Another process refreshed the token; using its rotated refresh token from " + Cache.Path + ".");
                    current = onDisk.Grant;
                    _grant = current;
                    if (!NeedsRefresh(current)) return;
                }
                var fresh = await OAuthTokenClient.RefreshAsync(Environment, ClientId, _clientSecret, current, cancellationToken).ConfigureAwait(false);
                // The rotated refresh token is on disk before the new access token is used: a crash never loses it.
                Cache.Save(this, fresh);
                Replace(fresh);
            }
        }

        private void Replace(OAuthGrant fresh)
        {
            _grant = fresh;
            Interlocked.Increment(ref _refreshCount);
            JiraLog.Verbose($"Refreshed the OAuth access token for client {ClientId}; it expires {fresh.ExpiresAt.ToLocalTime():HH:mm:ss zzz}" + (fresh.RefreshToken != null ? "; the refresh token was rotated." : "."));
        }

        private static AuthenticationHeaderValue Header(OAuthGrant grant) =>
            grant.AccessToken.Use(s => new AuthenticationHeaderValue("Bearer", s));
    }

    /// <summary>A failure of the OAuth flow, with the authorization server's own error code when there is one.</summary>
    public sealed class JiraOAuthException : JiraException
    {
        public JiraOAuthException(string errorId, JiraErrorKind kind, string message, string target, string oauthError, string recommendedAction, Exception inner = null)
            : base(errorId, kind, message, target, recommendedAction, inner)
        {
            OAuthError = oauthError;
        }

        /// <summary>The OAuth error code (access_denied, invalid_grant, …), when the server sent one.</summary>
        public string OAuthError { get; }
    }
}

namespace JiraConnect.OAuth
{
    /// <summary>The tokens of one answer from the token endpoint. Immutable; a refresh replaces it whole.</summary>
    internal sealed class OAuthGrant
    {
        public OAuthGrant(SecureString accessToken, SecureString refreshToken, string tokenType, DateTimeOffset expiresAt, string[] scopes, DateTimeOffset obtainedAt)
        {
            AccessToken = accessToken;
            AccessToken.MakeReadOnly();
            RefreshToken = refreshToken;
            RefreshToken?.MakeReadOnly();
            TokenType = string.IsNullOrEmpty(tokenType) ? "Bearer" : tokenType;
            ExpiresAt = expiresAt;
            Scopes = scopes ?? new string[0];
            ObtainedAt = obtainedAt;
        }

        public SecureString AccessToken { get; }
        public SecureString RefreshToken { get; }
        public string TokenType { get; }
        public DateTimeOffset ExpiresAt { get; }
        public string[] Scopes { get; }
        public DateTimeOffset ObtainedAt { get; }
    }
}

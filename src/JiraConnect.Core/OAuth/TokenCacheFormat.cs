using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using JiraConnect.Json;
using JiraConnect.Security;

namespace JiraConnect.OAuth
{
    /// <summary>What a cache file holds.</summary>
    internal sealed class CachedToken
    {
        public string ClientId { get; set; }
        public JiraOAuthEnvironment Environment { get; set; }
        public Uri RedirectUri { get; set; }
        public OAuthGrant Grant { get; set; }
    }

    /// <summary>
    /// The cache file's JSON (version 1): the grant, the client id and the OAuth endpoints it was created for; the
    /// secrets DPAPI-protected when the cache's protection is dpapi.
    /// </summary>
    internal static class TokenCacheFormat
    {
        /// <summary>The cached token; throws JsonException, FormatException, UriFormatException, Win32Exception or ArgumentException for a file that is not one.</summary>
        internal static CachedToken Deserialize(byte[] bytes)
        {
            var dto = JiraJson.Deserialize<TokenCacheDto>(bytes);
            if (dto == null || dto.Version != 1 || string.IsNullOrEmpty(dto.AccessToken)) throw new JsonException("not a JiraConnect token cache");
            var environment = new JiraOAuthEnvironment
            {
                Name = dto.EnvironmentName,
                AuthorizationUrl = new Uri(dto.AuthorizationUrl),
                TokenUrl = new Uri(dto.TokenUrl),
                ApiGatewayUrl = new Uri(dto.ApiGatewayUrl),
                Audience = dto.Audience,
            };
            var grant = new OAuthGrant(Reveal(dto.AccessToken, dto.Protection).ToSecureString(),
                string.IsNullOrEmpty(dto.RefreshToken) ? null : Reveal(dto.RefreshToken, dto.Protection).ToSecureString(),
                dto.TokenType, dto.ExpiresAt, dto.Scopes?.ToArray(), dto.ObtainedAt);
            return new CachedToken { ClientId = dto.ClientId, Environment = environment, RedirectUri = string.IsNullOrEmpty(dto.RedirectUri) ? null : new Uri(dto.RedirectUri), Grant = grant };
        }

        internal static byte[] Serialize(JiraOAuthToken token, OAuthGrant grant, string protection)
        {
            string Conceal(string secret) =>
                protection == JiraTokenCache.Dpapi ? Convert.ToBase64String(NativeMethods.Protect(Encoding.UTF8.GetBytes(secret))) : secret;
            var dto = new TokenCacheDto
            {
                Version = 1,
                Protection = protection,
                ClientId = token.ClientId,
                EnvironmentName = token.Environment.Name,
                AuthorizationUrl = token.Environment.AuthorizationUrl.AbsoluteUri,
                TokenUrl = token.Environment.TokenUrl.AbsoluteUri,
                ApiGatewayUrl = token.Environment.ApiGatewayUrl.AbsoluteUri,
                Audience = token.Environment.Audience,
                RedirectUri = token.RedirectUri?.OriginalString,
                Scopes = grant.Scopes.ToList(),
                TokenType = grant.TokenType,
                ExpiresAt = grant.ExpiresAt,
                ObtainedAt = grant.ObtainedAt,
                AccessToken = grant.AccessToken.Use(Conceal),
                RefreshToken = grant.RefreshToken?.Use(Conceal),
            };
            return JsonSerializer.SerializeToUtf8Bytes(dto, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        }

        private static string Reveal(string stored, string protection)
        {
            if (protection != JiraTokenCache.Dpapi) return stored;
            if (!NativeMethods.IsWindows) throw new FormatException("a DPAPI-protected cache can only be read on Windows");
            return Encoding.UTF8.GetString(NativeMethods.Unprotect(Convert.FromBase64String(stored)));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace JiraConnect.Security
{
    /// <summary>Removes credentials from anything that may be logged: URLs, header lines and bodies.</summary>
    public static class Redactor
    {
        public const string Mask = "***";

        /// <summary>
        /// The one list of names whose values are secrets, matched case-insensitively wherever a name carries a value:
        /// query parameters, form fields, JSON properties and header names.
        /// </summary>
        public static IReadOnlyList<string> SecretNames { get; } = Array.AsReadOnly(new[]
        {
            "access_token", "refresh_token", "id_token", "token", "code",
            "client_secret", "client_assertion", "password", "passwd", "secret",
            "api_token", "apiToken", "api_key", "apikey", "jwt", "personal_access_token",
        });

        private static readonly string SecretNamePattern = "(?:" + string.Join("|", SecretNames.Select(Regex.Escape)) + ")";

        // name=value in a query string or form body (also at the start of one, or after a space in a log line).
        private static readonly Regex SecretQuery = new Regex(
            @"(?i)((?:^|[?&;\s])" + SecretNamePattern + @"=)[^&#\s]*",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex SecretJson = new Regex(
            @"(?i)(""" + SecretNamePattern + @"""\s*:\s*"")(?:[^""\\]|\\.)*("")",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly HashSet<string> SecretHeaderNames = new HashSet<string>(
            SecretNames.Select(n => n.Replace("_", string.Empty)), StringComparer.OrdinalIgnoreCase);

        // After a header name, whatever follows the scheme is a credential.
        private static readonly Regex AuthorizationHeader = new Regex(
            @"(?im)\b((?:Proxy-)?Authorization\s*[:=]\s*(?:Basic|Bearer|Token)\s+)\S+",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        // A bare scheme and value in free text, e.g. "Bearer eyJ…" or "Basic dXNlcjpwYXNz".
        private static readonly Regex AuthorizationValue = new Regex(
            @"(?i)\b(Basic|Bearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex UserInfo = new Regex(
            @"(?i)(\b[a-z][a-z0-9+.-]*://)[^/@\s]+@",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        /// <summary>Masks user info and secret query parameters of a URL.</summary>
        public static string Url(Uri url) => url == null ? string.Empty : Text(url.OriginalString);

        /// <summary>Masks every credential pattern known to the engine in free text.</summary>
        public static string Text(string text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            text = UserInfo.Replace(text, "$1" + Mask + "@");
            text = SecretQuery.Replace(text, "$1" + Mask);
            text = SecretJson.Replace(text, "$1" + Mask + "$2");
            text = AuthorizationHeader.Replace(text, "$1" + Mask);
            text = AuthorizationValue.Replace(text, m => LooksLikeCredential(m.Groups[1].Value, m.Groups[2].Value) ? m.Groups[1].Value + " " + Mask : m.Value);
            return text;
        }

        /// <summary>
        /// Tells a credential from prose such as "Basic Authentication has been disabled": a Basic value is
        /// base64 of "user:secret"; a Bearer value is long or carries digits or token symbols.
        /// </summary>
        private static bool LooksLikeCredential(string scheme, string value)
        {
            if (value.IndexOfAny("0123456789-._~+/=".ToCharArray()) >= 0) return true;
            if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return value.Length >= 16;
            if (value.Length % 4 != 0) return false;
            try
            {
                return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value)).IndexOf(':') >= 0;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        /// <summary>True for header names whose values are never shown.</summary>
        public static bool IsSecretHeader(string name) =>
            string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Set-Cookie", StringComparison.OrdinalIgnoreCase);

        /// <summary>Headers whose values are never shown: credentials and anything named like a key, token, secret or password.</summary>
        public static bool IsSecretNamedHeader(string name)
        {
            if (IsSecretHeader(name)) return true;
            // X-Api-Token, Client-Secret, X-Jwt: the secret names with their separators dropped.
            string bare = name.StartsWith("X-", StringComparison.OrdinalIgnoreCase) ? name.Substring(2) : name;
            if (SecretHeaderNames.Contains(bare.Replace("-", string.Empty).Replace("_", string.Empty))) return true;
            string lower = name.ToLowerInvariant();
            return lower.Contains("token") || lower.Contains("secret") || lower.Contains("password") || lower.Contains("key")
                || lower.Contains("auth");
        }

        /// <summary>"Bearer ***" for a scheme and credential, "***" for anything else.</summary>
        public static string MaskHeaderValue(string value)
        {
            int space = value.IndexOf(' ');
            return space > 0 && space < 16 ? value.Substring(0, space) + " " + Mask : Mask;
        }
    }
}

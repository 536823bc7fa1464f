using System;
using System.Text.RegularExpressions;

namespace JiraConnect.Security
{
    /// <summary>Removes credentials from anything that may be logged: URLs, header lines and bodies.</summary>
    public static class Redactor
    {
        public const string Mask = "***";

        private static readonly Regex SecretQuery = new Regex(
            @"(?i)([?&](?:access_token|refresh_token|token|code|client_secret|password|secret|api_key|apikey|jwt)=)[^&#\s]*",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex SecretJson = new Regex(
            @"(?i)(""(?:access_token|refresh_token|id_token|token|client_secret|password|secret|apiToken|api_token|code)""\s*:\s*"")(?:[^""\\]|\\.)*("")",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex AuthorizationValue = new Regex(
            // A credential, not a word: at least 8 characters, one of them a digit or a token symbol.
            @"(?i)\b(Basic|Bearer)\s+(?=[A-Za-z0-9\-._~+/]*[0-9\-._~+/=])[A-Za-z0-9\-._~+/]{8,}=*",
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
            text = AuthorizationValue.Replace(text, "$1 " + Mask);
            return text;
        }

        /// <summary>True for header names whose values are never shown.</summary>
        public static bool IsSecretHeader(string name) =>
            string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Set-Cookie", StringComparison.OrdinalIgnoreCase);
    }
}

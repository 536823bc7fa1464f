using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using JiraConnect.Http.Wire;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// The X-Hub-Signature of Jira's admin webhooks: "sha256=" followed by the lower-case hex HMAC of the raw
    /// body, keyed with the webhook's secret. The method is read from before the '='.
    /// </summary>
    public static class WebhookSignature
    {
        public const string HeaderName = "X-Hub-Signature";

        /// <summary>The header value for a body: sha256=&lt;hex&gt;.</summary>
        public static string Compute(byte[] secret, byte[] body)
        {
            if (secret == null) throw new ArgumentNullException(nameof(secret));
            using (var hmac = new HMACSHA256(secret))
                return "sha256=" + ToHex(hmac.ComputeHash(body ?? Array.Empty<byte>()));
        }

        /// <summary>The header value for a text body (UTF-8) and a text secret (UTF-8).</summary>
        public static string Compute(string secret, string body) =>
            Compute(Encoding.UTF8.GetBytes(secret ?? string.Empty), Encoding.UTF8.GetBytes(body ?? string.Empty));

        /// <summary>The method Jira signs with, and the only one accepted unless more are allowed.</summary>
        public const string DefaultAlgorithm = "sha256";

        /// <summary>The methods a listener can be told to accept besides sha256.</summary>
        public static readonly IReadOnlyList<string> OptionalAlgorithms = new[] { "sha1", "sha512" };

        /// <summary>The method before the '=' in lower case ("sha256"), or null when the header has none.</summary>
        public static string AlgorithmOf(string header)
        {
            if (string.IsNullOrEmpty(header)) return null;
            int equals = header.IndexOf('=');
            return equals <= 0 ? null : header.Substring(0, equals).Trim().ToLowerInvariant();
        }

        /// <summary>True when the header carries a valid sha256 signature of the body, compared in constant time.</summary>
        public static bool Verify(string header, byte[] secret, byte[] body) => Verify(header, secret, body, null);

        /// <summary>
        /// True when the header carries a valid signature of the body with sha256 or one of
        /// <paramref name="alsoAllowed"/> (sha1, sha512), compared in constant time. A missing or malformed header,
        /// or a method not allowed, is simply not valid.
        /// </summary>
        public static bool Verify(string header, byte[] secret, byte[] body, ICollection<string> alsoAllowed)
        {
            if (secret == null) return false;
            string method = AlgorithmOf(header);
            if (method == null) return false;
            string hex = header.Substring(header.IndexOf('=') + 1).Trim();
            HMAC hmac;
            if (method == DefaultAlgorithm) hmac = new HMACSHA256(secret);
            else if (!Allows(alsoAllowed, method)) return false;
            else if (method == "sha1") hmac = new HMACSHA1(secret);
            else if (method == "sha512") hmac = new HMACSHA512(secret);
            else return false;
            using (hmac)
            {
                byte[] expected = Encoding.ASCII.GetBytes(ToHex(hmac.ComputeHash(body ?? Array.Empty<byte>())));
                byte[] actual = Encoding.ASCII.GetBytes(hex.ToLowerInvariant());
                return FixedTimeEquals(expected, actual);
            }
        }

        /// <summary>True for sha256, and for a method in <paramref name="alsoAllowed"/>.</summary>
        public static bool Allows(ICollection<string> alsoAllowed, string method)
        {
            if (string.Equals(method, DefaultAlgorithm, StringComparison.OrdinalIgnoreCase)) return true;
            if (alsoAllowed == null) return false;
            foreach (string allowed in alsoAllowed)
                if (string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>Compares two byte arrays in time that depends only on their lengths.</summary>
        public static bool FixedTimeEquals(byte[] left, byte[] right) => ConstantTime.AreEqual(left, right);

        internal static string ToHex(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return text.ToString();
        }
    }
}

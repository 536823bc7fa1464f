using System;
using System.Security.Cryptography;
using System.Text;

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

        /// <summary>
        /// True when the header carries a valid signature of the body: method sha256, sha1 or sha512, compared in
        /// constant time. A missing or malformed header is simply not valid.
        /// </summary>
        public static bool Verify(string header, byte[] secret, byte[] body)
        {
            if (secret == null || string.IsNullOrEmpty(header)) return false;
            int equals = header.IndexOf('=');
            if (equals <= 0) return false;
            string method = header.Substring(0, equals).Trim();
            string hex = header.Substring(equals + 1).Trim();
            HMAC hmac;
            if (string.Equals(method, "sha256", StringComparison.OrdinalIgnoreCase)) hmac = new HMACSHA256(secret);
            else if (string.Equals(method, "sha1", StringComparison.OrdinalIgnoreCase)) hmac = new HMACSHA1(secret);
            else if (string.Equals(method, "sha512", StringComparison.OrdinalIgnoreCase)) hmac = new HMACSHA512(secret);
            else return false;
            using (hmac)
            {
                byte[] expected = Encoding.ASCII.GetBytes(ToHex(hmac.ComputeHash(body ?? Array.Empty<byte>())));
                byte[] actual = Encoding.ASCII.GetBytes(hex.ToLowerInvariant());
                return FixedTimeEquals(expected, actual);
            }
        }

        /// <summary>Compares two byte arrays in time that depends only on their lengths.</summary>
        public static bool FixedTimeEquals(byte[] left, byte[] right)
        {
            if (left == null || right == null) return false;
            int difference = left.Length ^ right.Length;
            int length = Math.Min(left.Length, right.Length);
            for (int i = 0; i < length; i++) difference |= left[i] ^ right[i];
            return difference == 0;
        }

        internal static string ToHex(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return text.ToString();
        }
    }
}

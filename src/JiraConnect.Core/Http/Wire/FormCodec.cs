using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace JiraConnect.Http.Wire
{
    /// <summary>
    /// Reads application/x-www-form-urlencoded text, the form of HTML forms and of URL queries: name=value pairs
    /// joined by '&amp;', '+' for a space and %XX for a UTF-8 byte; and writes such text.
    /// </summary>
    internal static class FormCodec
    {
        /// <summary>The decoded pairs in order; empty pieces are skipped and a piece without '=' has an empty value.</summary>
        public static IEnumerable<KeyValuePair<string, string>> Parse(string text)
        {
            foreach (var pair in (text ?? string.Empty).Split('&'))
            {
                if (pair.Length == 0) continue;
                int equals = pair.IndexOf('=');
                string name = Decode(equals < 0 ? pair : pair.Substring(0, equals));
                string value = equals < 0 ? string.Empty : Decode(pair.Substring(equals + 1));
                yield return new KeyValuePair<string, string>(name, value);
            }
        }

        /// <summary>
        /// '+' becomes a space and %XX a byte of UTF-8 text; a malformed escape is kept as written and bytes that are
        /// not UTF-8 become U+FFFD.
        /// </summary>
        public static string Decode(string text)
        {
            var bytes = new MemoryStream(text.Length);
            int literal = 0; // start of the run of characters copied as they are
            for (int i = 0; i <= text.Length; i++)
            {
                bool escape = i < text.Length && (text[i] == '+' || (text[i] == '%' && IsHex(text, i + 1) && IsHex(text, i + 2)));
                if (!escape && i < text.Length) continue;
                // The run is encoded whole, so a character outside the BMP (a surrogate pair) stays one character.
                byte[] run = Encoding.UTF8.GetBytes(text.Substring(literal, i - literal));
                bytes.Write(run, 0, run.Length);
                if (i == text.Length) break;
                if (text[i] == '+')
                {
                    bytes.WriteByte((byte)' ');
                }
                else
                {
                    bytes.WriteByte(byte.Parse(text.Substring(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                }
                literal = i + 1;
            }
            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        /// <summary>Percent-encodes UTF-8 bytes except RFC 3986 unreserved characters (an unpaired surrogate as U+FFFD); <paramref name="form"/> writes spaces as '+'.</summary>
        public static string Encode(string text, bool form)
        {
            var result = new StringBuilder(text.Length + 8);
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                char c = (char)b;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                    result.Append(c);
                else if (form && c == ' ')
                    result.Append('+');
                else
                    result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            return result.ToString();
        }

        private static bool IsHex(string text, int index) =>
            index < text.Length && Uri.IsHexDigit(text[index]);
    }
}

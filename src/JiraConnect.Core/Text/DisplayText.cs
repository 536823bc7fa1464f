using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace JiraConnect
{
    /// <summary>
    /// Text made safe for a terminal: control characters (ESC, BEL, CR, LF, NUL, DEL, C1 controls and the like) are
    /// written as \xHH (\uHHHH above 0xFF) so that a value received from the network cannot move the cursor, change
    /// colours or ring the bell when it is shown. Format views and ToString() of the module's output types use it.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>The text with every control character escaped; null and empty stay as they are.</summary>
        public static string Escape(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            int i = 0;
            while (i < text.Length && !IsControl(text[i])) i++;
            if (i == text.Length) return text;

            var builder = new StringBuilder(text.Length + 16);
            builder.Append(text, 0, i);
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (!IsControl(c)) builder.Append(c);
                else if (c <= 0xFF) builder.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                else builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            return builder.ToString();
        }

        /// <summary>Any value as escaped text (its ToString()).</summary>
        public static string Escape(object value) => value == null ? null : Escape(value as string ?? value.ToString());

        /// <summary>Name: value pairs, one per line, each escaped (for headers in a list view).</summary>
        public static string EscapePairs(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            if (pairs == null) return null;
            var builder = new StringBuilder();
            foreach (var pair in pairs)
            {
                if (builder.Length > 0) builder.Append('\n');
                builder.Append(Escape(pair.Key)).Append(": ").Append(Escape(pair.Value));
            }
            return builder.ToString();
        }

        /// <summary>
        /// Characters a terminal acts on: C0 controls, DEL, C1 controls (0x9B is an 8-bit CSI), and the bidirectional
        /// overrides and line/paragraph separators that reorder or break what is shown.
        /// </summary>
        internal static bool IsControl(char c) =>
            c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}

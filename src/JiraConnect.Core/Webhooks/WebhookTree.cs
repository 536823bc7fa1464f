using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using JiraConnect.Json;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// The plain values webhook payloads are built from: OrderedDictionary (case-insensitive keys), object[],
    /// string, long, double, decimal, bool and null.
    /// </summary>
    public static class WebhookTree
    {
        /// <summary>
        /// The deepest an issue or custom data may nest: a payload holds it up to <see cref="PayloadLevels"/> levels
        /// down, and the payload is written within <see cref="PlainValueConverter.MaxDepth"/>.
        /// </summary>
        public const int MaxDepth = PlainValueConverter.MaxDepth - PayloadLevels;

        private const int PayloadLevels = 16;

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // Jira writes '+', '<', '&' and non-ASCII text literally; so do we.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private static readonly PlainValueConverter Converter = new PlainValueConverter(
            leaf: Leaf, keys: StringComparer.OrdinalIgnoreCase, maxDepth: MaxDepth,
            tooDeep: () => new JiraException(JiraErrorId.InvalidIssueInput, JiraErrorKind.InvalidArgument,
                $"The issue nests deeper than {MaxDepth} levels.", null, "Pass the issue as Jira's REST API returns it."));

        /// <summary>Converts dictionaries, lists and primitives to the plain shape; throws InvalidIssueInput past <see cref="MaxDepth"/> levels.</summary>
        public static object Normalize(object value) => Converter.Convert(value);

        /// <summary>Strings without unpaired surrogates, whole numbers as long, dates as Jira writes them, anything else as text.</summary>
        private static object Leaf(object value)
        {
            switch (value)
            {
                case string s: return Sanitize(s);
                case bool b: return b;
                case char c: return c.ToString();
                case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _:
                    return Convert.ToInt64(value, CultureInfo.InvariantCulture);
                case ulong ul: return ul <= long.MaxValue ? (object)(long)ul : (double)ul;
                case float f: return Leaf((double)f);
                case double d: return double.IsNaN(d) || double.IsInfinity(d) ? (object)d.ToString(CultureInfo.InvariantCulture) : d;
                case decimal m: return m;
                case DateTime dt: return JiraTimestamp(new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt));
                case DateTimeOffset dto: return JiraTimestamp(dto);
                case Uri u: return u.OriginalString;
                case Guid g: return g.ToString();
                case Enum e: return e.ToString();
                default:
                    return Sanitize(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        /// <summary>Replaces unpaired UTF-16 surrogates (which no JSON or UTF-8 text can carry) with U+FFFD.</summary>
        internal static string Sanitize(string text)
        {
            if (text == null) return null;
            char[] chars = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                if (!char.IsSurrogate(c)) continue;
                if (chars == null) chars = text.ToCharArray();
                chars[i] = '\uFFFD';
            }
            return chars == null ? text : new string(chars);
        }

        /// <summary>Compact JSON as Jira writes it (no escaping of '+', '&lt;' or non-ASCII letters).</summary>
        public static string ToJson(object value) => JsonTree.Serialize(value, WriterOptions);

        /// <summary>Jira's timestamp format: 2024-01-08T09:00:00.000+0000.</summary>
        public static string JiraTimestamp(DateTimeOffset value)
        {
            var offset = value.Offset;
            char sign = offset < TimeSpan.Zero ? '-' : '+';
            var abs = offset.Duration();
            return value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
                + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
        }

        /// <summary>A member of a dictionary, or null.</summary>
        internal static object Member(object value, string name) =>
            value is IDictionary map && map.Contains(name) ? map[name] : null;

        internal static string Text(object value, string name) => Member(value, name) as string;
    }
}

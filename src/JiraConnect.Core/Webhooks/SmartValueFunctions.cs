using System;
using System.Linq;
using JiraConnect.Http.Wire;
using JiraConnect.Json;

namespace JiraConnect.Webhooks
{
    /// <summary>The smart-value functions (jsonEncode, urlEncode, toUpperCase(), join("sep"), …) as Jira applies them.</summary>
    internal static class SmartValueFunctions
    {
        /// <summary>The functions a smart value may apply, as Jira names them.</summary>
        public static readonly string[] Names =
        {
            "jsonEncode", "asJsonString", "urlEncode", "htmlEncode", "xmlEncode", "toUpperCase", "toLowerCase", "trim",
            "length", "size", "first", "last", "isEmpty", "join",
        };

        public static bool IsFunction(string name) => Names.Contains(name, StringComparer.Ordinal);

        /// <summary>Applies a function to a value; throws SmartValueSyntaxError for join without a separator.</summary>
        public static object Apply(JiraSmartValue.Segment segment, object value, JiraSmartValue.Part part)
        {
            switch (segment.Name)
            {
                case "jsonEncode": return JsonText.Escape(JiraSmartValue.ToText(value));
                case "asJsonString": return "\"" + JsonText.Escape(JiraSmartValue.ToText(value)) + "\"";
                case "urlEncode": return FormCodec.Encode(JiraSmartValue.ToText(value), false);
                case "htmlEncode":
                case "xmlEncode": return MarkupEscape(JiraSmartValue.ToText(value));
                case "toUpperCase": return JiraSmartValue.ToText(value).ToUpperInvariant();
                case "toLowerCase": return JiraSmartValue.ToText(value).ToLowerInvariant();
                case "trim": return JiraSmartValue.ToText(value).Trim();
                case "length": return (long)JiraSmartValue.ToText(value).Length;
                case "size": return value is object[] items ? items.Length : value == null ? 0L : 1L;
                case "first": return value is object[] a ? (a.Length > 0 ? a[0] : null) : value;
                case "last": return value is object[] b ? (b.Length > 0 ? b[b.Length - 1] : null) : value;
                case "isEmpty":
                    return value == null || (value is string t && t.Length == 0) || (value is object[] c && c.Length == 0);
                case "join":
                    if (segment.Argument == null)
                        throw JiraSmartValue.Syntax($"join in '{part.Source}' needs a separator in double quotes, for example join(\", \").", part.Source, part.Position);
                    return value is object[] list ? string.Join(segment.Argument, list.Select(JiraSmartValue.ToText)) : JiraSmartValue.ToText(value);
                default:
                    throw JiraSmartValue.Unknown($"'{part.Source}' uses {segment.Name}, which is not a smart-value function.", part, string.Empty);
            }
        }

        private static string MarkupEscape(string text) =>
            text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
    }
}

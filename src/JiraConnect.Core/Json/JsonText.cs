using System.Globalization;
using System.Text;

namespace JiraConnect.Json
{
    /// <summary>Writes text as the inside of a JSON string (RFC 8259 7): quote, backslash and control characters escaped.</summary>
    internal static class JsonText
    {
        public static string Escape(string text)
        {
            var result = new StringBuilder(text.Length + 8);
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': result.Append("\\\""); break;
                    case '\\': result.Append("\\\\"); break;
                    case '\n': result.Append("\\n"); break;
                    case '\r': result.Append("\\r"); break;
                    case '\t': result.Append("\\t"); break;
                    case '\b': result.Append("\\b"); break;
                    case '\f': result.Append("\\f"); break;
                    default:
                        if (c < 0x20) result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else result.Append(c);
                        break;
                }
            }
            return result.ToString();
        }
    }
}

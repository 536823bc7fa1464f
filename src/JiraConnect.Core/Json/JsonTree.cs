using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace JiraConnect.Json
{
    /// <summary>
    /// Converts JSON to and from plain BCL values (OrderedDictionary, object[], string, long, decimal, double, bool, null)
    /// so that no JSON library type crosses the engine's public surface.
    /// </summary>
    public static class JsonTree
    {
        public static object Parse(byte[] utf8)
        {
            if (utf8 == null || utf8.Length == 0) return null;
            using (var doc = JsonDocument.Parse(utf8))
                return FromElement(doc.RootElement);
        }

        public static object Parse(string json) => Parse(Encoding.UTF8.GetBytes(json ?? string.Empty));

        internal static object FromElement(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var map = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                    foreach (var p in element.EnumerateObject()) map[p.Name] = FromElement(p.Value);
                    return map;
                case JsonValueKind.Array:
                    var list = new List<object>(element.GetArrayLength());
                    foreach (var item in element.EnumerateArray()) list.Add(FromElement(item));
                    return list.ToArray();
                case JsonValueKind.String: return element.GetString();
                case JsonValueKind.Number:
                    if (element.TryGetInt64(out long l)) return l;
                    if (element.TryGetDecimal(out decimal d)) return d;
                    // Beyond double's range (1e400) the number stays as written.
                    return element.TryGetDouble(out double real) && !double.IsInfinity(real) ? (object)real : element.GetRawText();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                default: return null;
            }
        }

        /// <summary>Serialises dictionaries, lists and primitives to JSON text.</summary>
        public static string Serialize(object value) => Serialize(value, default(JsonWriterOptions));

        /// <summary>Serialises with the given writer options (for example a relaxed encoder).</summary>
        public static string Serialize(object value, JsonWriterOptions options)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream, options))
                    Write(writer, value, 0);
                return Encoding.UTF8.GetString(stream.ToArray());
            }
        }

        private static void Write(Utf8JsonWriter writer, object value, int depth)
        {
            if (depth > PlainValueConverter.MaxDepth) throw PlainValueConverter.TooDeep();
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case string s: writer.WriteStringValue(s); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case char c: writer.WriteStringValue(c.ToString()); break;
                case DateTime dt: writer.WriteStringValue(dt.ToString("o", CultureInfo.InvariantCulture)); break;
                case DateTimeOffset dto: writer.WriteStringValue(dto.ToString("o", CultureInfo.InvariantCulture)); break;
                case Guid g: writer.WriteStringValue(g.ToString()); break;
                case Uri u: writer.WriteStringValue(u.OriginalString); break;
                case Enum e: writer.WriteStringValue(e.ToString()); break;
                case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                case ulong ul: writer.WriteNumberValue(ul); break;
                case float _: case double _:
                    writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
                case decimal m: writer.WriteNumberValue(m); break;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture));
                        Write(writer, entry.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    break;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (var item in sequence) Write(writer, item, depth + 1);
                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using JiraConnect.Http.Wire;
using JiraConnect.Json;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// Reads what a webhook body contains. Never throws: a body that is not valid JSON (or form data) simply has
    /// no parsed form.
    /// </summary>
    public static class WebhookContent
    {
        private static readonly JsonDocumentOptions Options = new JsonDocumentOptions { MaxDepth = 64 };

        /// <summary>The body as plain values (OrderedDictionary, object[], …), or null when it is empty or not valid JSON.</summary>
        public static object TryParseJson(byte[] utf8)
        {
            if (utf8 == null || utf8.Length == 0) return null;
            try
            {
                using (var document = JsonDocument.Parse(utf8, Options))
                    return JsonTree.FromElement(document.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is FormatException)
            {
                return null;
            }
        }

        /// <summary>
        /// Masks credentials in an answer body for display. A JSON body stays valid JSON: each string is masked on its
        /// own (and re-escaped), and the value of a secret-named member ("token", "password", …) becomes "***".
        /// Anything else is masked as plain text.
        /// </summary>
        public static string MaskSecrets(string text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string trimmed = text.TrimStart();
            if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '[') || !IsJson(text)) return Security.Redactor.Text(text);
            var masked = new StringBuilder(text.Length);
            string key = null;
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c != '"')
                {
                    masked.Append(c);
                    if (c == ',' || c == '{' || c == '[') key = null;
                    i++;
                    continue;
                }
                int end = i + 1;
                while (text[end] != '"') end += text[end] == '\\' ? 2 : 1; // valid JSON: every string ends
                string raw = text.Substring(i + 1, end - i - 1);
                int next = end + 1;
                while (next < text.Length && char.IsWhiteSpace(text[next])) next++;
                if (next < text.Length && text[next] == ':')
                {
                    key = raw;
                    masked.Append(text, i, end - i + 1);
                }
                else
                {
                    string value = JsonSerializer.Deserialize<string>("\"" + raw + "\"");
                    // Redactor's rule for secret-named JSON members, applied to this member alone.
                    bool secretMember = key != null && Security.Redactor.Text("\"" + key + "\":\"x\"") != "\"" + key + "\":\"x\"";
                    string shown = secretMember ? Security.Redactor.Mask : Security.Redactor.Text(value);
                    if (shown == value) masked.Append(text, i, end - i + 1);
                    else masked.Append('"').Append(JsonText.Escape(shown)).Append('"');
                    key = null;
                }
                i = end + 1;
            }
            return masked.ToString();
        }

        private static bool IsJson(string text)
        {
            try
            {
                using (JsonDocument.Parse(text, Options)) return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>
        /// application/x-www-form-urlencoded fields in order ('+' is a space, %XX a UTF-8 byte; a malformed escape is
        /// kept as written). A name given twice collects its values in an array.
        /// </summary>
        public static OrderedDictionary ParseForm(byte[] body)
        {
            var fields = new OrderedDictionary(StringComparer.Ordinal);
            if (body == null || body.Length == 0) return fields;
            foreach (var field in FormCodec.Parse(Encoding.UTF8.GetString(body)))
            {
                if (!fields.Contains(field.Key))
                {
                    fields[field.Key] = field.Value;
                }
                else
                {
                    var values = fields[field.Key] is object[] existing ? new List<object>(existing) : new List<object> { fields[field.Key] };
                    values.Add(field.Value);
                    fields[field.Key] = values.ToArray();
                }
            }
            return fields;
        }
    }
}

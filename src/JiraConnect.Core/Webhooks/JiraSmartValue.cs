using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Text;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// Renders Jira Automation smart values in a template: <c>{{issue.key}}</c> as Jira Cloud writes them and
    /// <c>${issue.key}</c> as the connector guide does. Values are inserted as text, unescaped, as Jira does;
    /// the functions jsonEncode, asJsonString, urlEncode, htmlEncode, xmlEncode, toUpperCase(), toLowerCase(),
    /// trim(), length(), size, first, last, isEmpty and join("sep") transform them. Throws only
    /// <see cref="JiraTemplateException"/> (SmartValueSyntaxError or SmartValueUnknownPath).
    /// </summary>
    public static class JiraSmartValue
    {
        private const string SyntaxAction =
            "Write each smart value as {{path}} or ${path}, for example {{issue.key}} or ${issue.fields.priority.name}; sections such as {{#if}} are not supported here.";

        /// <summary>A piece of a parsed template: literal text, or a smart value with its path segments.</summary>
        internal sealed class Part
        {
            public string Text;
            public string Source;
            public int Position;
            public List<Segment> Segments;
        }

        internal sealed class Segment
        {
            public string Name;
            public bool Call;
            public string Argument;
        }

        /// <summary>Renders the template; throws <see cref="JiraTemplateException"/> for malformed syntax or an unknown path.</summary>
        public static string Render(string template, SmartValueContext context)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            var text = new StringBuilder();
            foreach (var part in Parse(template ?? string.Empty))
            {
                if (part.Segments == null) text.Append(part.Text);
                else text.Append(ToText(Evaluate(part, context)));
            }
            return WebhookTree.Sanitize(text.ToString());
        }

        internal static List<Part> Parse(string template)
        {
            var parts = new List<Part>();
            var literal = new StringBuilder();
            int i = 0;
            while (i < template.Length)
            {
                bool mustache = string.CompareOrdinal(template, i, "{{", 0, 2) == 0;
                bool dollar = !mustache && string.CompareOrdinal(template, i, "${", 0, 2) == 0;
                if (!mustache && !dollar)
                {
                    // A lone "}}" is text: nested JSON objects end that way ({"a":{"b":1}}).
                    literal.Append(template[i]);
                    i++;
                    continue;
                }

                string close = mustache ? "}}" : "}";
                int start = i + 2;
                int end = template.IndexOf(close, start, StringComparison.Ordinal);
                if (end < 0)
                    throw Syntax($"The smart value that starts at position {i} is not closed with '{close}'.", Near(template, i), i);
                string inner = template.Substring(start, end - start);
                string source = template.Substring(i, end + close.Length - i);
                int nested = inner.IndexOf(mustache ? "{{" : "${", StringComparison.Ordinal);
                if (nested >= 0 || (!mustache && inner.IndexOf('{') >= 0))
                    throw Syntax($"The smart value at position {i} contains another '{{' before it is closed.", source, i);

                if (literal.Length > 0)
                {
                    parts.Add(new Part { Text = literal.ToString() });
                    literal.Clear();
                }
                parts.Add(new Part { Source = source, Position = i, Segments = ParsePath(inner, source, i) });
                i = end + close.Length;
            }
            if (literal.Length > 0) parts.Add(new Part { Text = literal.ToString() });
            return parts;
        }

        private static List<Segment> ParsePath(string inner, string source, int position)
        {
            string path = inner.Trim();
            if (path.Length == 0) throw Syntax($"The smart value at position {position} is empty.", source, position);
            char first = path[0];
            if (first == '#' || first == '/' || first == '^' || first == '!' || first == '>' || first == '&')
                throw Syntax($"The smart value '{source}' at position {position} is a section, comment or partial ('{first}'), which this renderer does not support.", source, position);

            var segments = new List<Segment>();
            var current = new StringBuilder();
            int k = 0;
            while (k <= path.Length)
            {
                if (k == path.Length || path[k] == '.')
                {
                    segments.Add(MakeSegment(current.ToString(), source, position));
                    current.Clear();
                    k++;
                    continue;
                }
                char c = path[k];
                if (c == '(')
                {
                    int closeParen = FindCloseParen(path, k);
                    if (closeParen < 0) throw Syntax($"The smart value '{source}' at position {position} has an unclosed '('.", source, position);
                    current.Append(path, k, closeParen - k + 1);
                    k = closeParen + 1;
                    if (k < path.Length && path[k] != '.')
                        throw Syntax($"The smart value '{source}' at position {position} has text after ')'.", source, position);
                    continue;
                }
                if (c == ')' || c == '"' || c == '{' || c == '}' || c == '$' || c == '\r' || c == '\n')
                    throw Syntax($"The smart value '{source}' at position {position} contains '{Printable(c)}', which a path cannot contain.", source, position);
                current.Append(c);
                k++;
            }
            return segments;
        }

        private static int FindCloseParen(string path, int open)
        {
            bool quoted = false;
            for (int k = open + 1; k < path.Length; k++)
            {
                if (path[k] == '"') quoted = !quoted;
                else if (path[k] == ')' && !quoted) return k;
            }
            return -1;
        }

        private static Segment MakeSegment(string raw, string source, int position)
        {
            string text = raw.Trim();
            if (text.Length == 0)
                throw Syntax($"The smart value '{source}' at position {position} has an empty step (two dots, or a dot at an end).", source, position);
            int paren = text.IndexOf('(');
            if (paren < 0) return new Segment { Name = text };
            string name = text.Substring(0, paren).Trim();
            string argument = text.Substring(paren + 1, text.Length - paren - 2).Trim();
            if (name.Length == 0) throw Syntax($"The smart value '{source}' at position {position} calls a function without a name.", source, position);
            if (argument.Length > 0)
            {
                if (argument.Length < 2 || argument[0] != '"' || argument[argument.Length - 1] != '"' || argument.IndexOf('"', 1) != argument.Length - 1)
                    throw Syntax($"The argument of {name}() in '{source}' must be one text in double quotes, for example join(\", \").", source, position);
                argument = argument.Substring(1, argument.Length - 2);
            }
            else
            {
                argument = null;
            }
            return new Segment { Name = name, Call = true, Argument = argument };
        }

        private static object Evaluate(Part part, SmartValueContext context)
        {
            var root = part.Segments[0];
            if (root.Call || !context.TryGetRoot(root.Name, out object value))
            {
                throw Unknown($"'{part.Source}' at position {part.Position} starts with '{root.Name}', which is not a smart value this renderer knows.",
                    part, "Start smart values with one of: " + string.Join(", ", context.RootNames) + ".");
            }

            bool isText = false;
            for (int s = 1; s < part.Segments.Count; s++)
            {
                var segment = part.Segments[s];
                if (!segment.Call && !isText && TryMember(value, segment.Name, out object member))
                {
                    value = member;
                    continue;
                }
                if (SmartValueFunctions.IsFunction(segment.Name))
                {
                    value = SmartValueFunctions.Apply(segment, value, part);
                    isText = value is string;
                    continue;
                }
                if (segment.Call)
                    throw Unknown($"'{part.Source}' calls {segment.Name}(), which is not a smart-value function this renderer knows.",
                        part, "Use one of: " + string.Join(", ", SmartValueFunctions.Names) + ".");
                if (value == null) continue; // Through an empty field: Jira renders empty text.
                string before = string.Join(".", part.Segments.Take(s).Select(x => x.Name));
                throw Unknown($"'{part.Source}' refers to '{segment.Name}', which {Describe(before, value)} does not have; Jira would insert empty text here.",
                    part, Suggest(value));
            }
            return value;
        }

        private static bool TryMember(object value, string name, out object member)
        {
            member = null;
            switch (value)
            {
                case IDictionary map:
                    if (map.Contains(name))
                    {
                        member = map[name];
                        return true;
                    }
                    // {{issue.summary}} means {{issue.fields.summary}}.
                    if (map.Contains("fields") && map["fields"] is IDictionary fields && fields.Contains(name))
                    {
                        member = fields[name];
                        return true;
                    }
                    return false;
                case object[] list:
                    // A property of a list is the property of each element ({{issue.fields.components.name}}).
                    var values = new List<object>();
                    bool any = false;
                    foreach (var item in list)
                    {
                        if (TryMember(item, name, out object one))
                        {
                            any = true;
                            if (one != null) values.Add(one);
                        }
                    }
                    member = values.ToArray();
                    return any || list.Length == 0;
                default:
                    return false;
            }
        }

        /// <summary>How Jira shows a value as text: objects by their name, lists joined with ", ".</summary>
        internal static string ToText(object value)
        {
            switch (value)
            {
                case null: return string.Empty;
                case string s: return s;
                case bool b: return b ? "true" : "false";
                case IDictionary map:
                    foreach (var name in new[] { "displayName", "name", "value", "key" })
                        if (map.Contains(name) && map[name] is string shown) return shown;
                    return WebhookTree.ToJson(map);
                case object[] list: return string.Join(", ", list.Select(ToText));
                case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
                default: return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        private static string Describe(string path, object value)
        {
            if (value is string) return $"'{path}' (a text)";
            if (value is object[]) return $"'{path}' (a list)";
            if (value is IDictionary) return $"'{path}'";
            return $"'{path}' (a value)";
        }

        private static string Suggest(object value)
        {
            if (value is IDictionary map)
            {
                var names = map.Keys.Cast<object>().Select(k => k.ToString()).ToList();
                if (map.Contains("fields") && map["fields"] is IDictionary fields)
                    names.AddRange(fields.Keys.Cast<object>().Select(k => k.ToString()));
                var shown = names.Distinct(StringComparer.OrdinalIgnoreCase).Take(25).ToList();
                return "Check the spelling. Known names here: " + string.Join(", ", shown) + (names.Count > shown.Count ? ", …" : ".");
            }
            return "Check the spelling: this value has no members; functions such as jsonEncode or urlEncode can follow it.";
        }

        private static string Near(string template, int index)
        {
            int length = Math.Min(24, template.Length - index);
            return template.Substring(index, length);
        }

        private static string Printable(char c) => c == '\r' ? "\\r" : c == '\n' ? "\\n" : c.ToString();

        internal static JiraTemplateException Syntax(string message, string expression, int position) =>
            new JiraTemplateException(JiraErrorId.SmartValueSyntaxError, "Malformed smart-value template: " + message, expression, position, SyntaxAction);

        internal static JiraTemplateException Unknown(string message, Part part, string action) =>
            new JiraTemplateException(JiraErrorId.SmartValueUnknownPath, "Unknown smart value: " + message, part.Source, part.Position, action);
    }
}

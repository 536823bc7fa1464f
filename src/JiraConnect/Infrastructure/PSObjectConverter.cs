using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using JiraConnect.Json;

namespace JiraConnect.Commands
{
    /// <summary>Between PowerShell objects and the engine's plain JSON values.</summary>
    internal static class PSObjectConverter
    {
        public static object ToPSObject(object value)
        {
            switch (value)
            {
                case OrderedDictionary map:
                    var ps = new PSObject();
                    foreach (DictionaryEntry entry in map)
                        ps.Properties.Add(new PSNoteProperty((string)entry.Key, ToPSObject(entry.Value)));
                    return ps;
                case object[] array:
                    var items = new object[array.Length];
                    for (int i = 0; i < array.Length; i++) items[i] = ToPSObject(array[i]);
                    return items;
                default:
                    return value;
            }
        }

        /// <summary>A string is sent as is; anything else becomes JSON.</summary>
        public static string ToJson(object body)
        {
            object value = body is PSObject ps ? ps.BaseObject : body;
            if (value is string text) return text;
            return JsonTree.Serialize(ToPlain(body, 0));
        }

        /// <summary>PSObjects, hashtables and arrays as plain dictionaries, lists and values (for the engine).</summary>
        public static object ToPlainValue(object value) => ToPlain(value, 0);

        private static object ToPlain(object value, int depth)
        {
            if (depth > 64) throw new ArgumentException("The body nests deeper than 64 levels.");
            if (value == null) return null;
            if (value is PSObject ps)
            {
                if (ps.BaseObject is PSCustomObject)
                {
                    var map = new OrderedDictionary();
                    foreach (var property in ps.Properties) map[property.Name] = ToPlain(property.Value, depth + 1);
                    return map;
                }
                value = ps.BaseObject;
            }
            switch (value)
            {
                case string _: return value;
                case IDictionary dictionary:
                    var map = new OrderedDictionary();
                    foreach (DictionaryEntry entry in dictionary) map[entry.Key] = ToPlain(entry.Value, depth + 1);
                    return map;
                case IEnumerable sequence:
                    var list = new List<object>();
                    foreach (var item in sequence) list.Add(ToPlain(item, depth + 1));
                    return list;
                default: return value;
            }
        }
    }
}

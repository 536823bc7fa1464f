using System.Collections;
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

        private static readonly PlainValueConverter Plain = new PlainValueConverter(unwrap: Unwrap);

        /// <summary>A string is sent as is; anything else becomes JSON.</summary>
        public static string ToJson(object body)
        {
            object value = body is PSObject ps ? ps.BaseObject : body;
            if (value is string text) return text;
            return JsonTree.Serialize(Plain.Convert(body));
        }

        /// <summary>PSObjects, hashtables and arrays as plain dictionaries, lists and values (for the engine).</summary>
        public static object ToPlainValue(object value) => Plain.Convert(value);

        /// <summary>A custom object as its properties; any other PowerShell wrapper as the object it holds.</summary>
        private static object Unwrap(object value)
        {
            if (!(value is PSObject ps)) return value;
            if (!(ps.BaseObject is PSCustomObject)) return ps.BaseObject;
            var properties = new OrderedDictionary();
            foreach (var property in ps.Properties) properties[property.Name] = property.Value;
            return properties;
        }
    }
}

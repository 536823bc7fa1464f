using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;

namespace JiraConnect.Json
{
    /// <summary>
    /// The one walk from nested dictionaries, lists and leaves to plain values: OrderedDictionary with string keys,
    /// object[], and leaves as the <c>leaf</c> rule makes them. PowerShell input (bodies, issues, custom data) and
    /// webhook issues are converted with it, each with its own rules for wrappers and leaves; JSON output nests no
    /// deeper than the same <see cref="MaxDepth"/>.
    /// </summary>
    internal sealed class PlainValueConverter
    {
        /// <summary>The deepest nesting a plain value (or JSON written from one) may have.</summary>
        public const int MaxDepth = 64;

        private readonly Func<object, object> _unwrap;
        private readonly Func<object, object> _leaf;
        private readonly IEqualityComparer _keys;
        private readonly int _maxDepth;
        private readonly Func<Exception> _tooDeep;

        /// <param name="unwrap">Applied to every value first (for example a PowerShell wrapper to what it holds); null keeps values.</param>
        /// <param name="leaf">Applied to strings and other values that are neither dictionaries nor lists; null keeps them.</param>
        /// <param name="keys">How the dictionaries made compare keys; null compares them as written.</param>
        /// <param name="maxDepth">The deepest nesting accepted; at most <see cref="MaxDepth"/>.</param>
        /// <param name="tooDeep">The error for a value nested deeper; null for <see cref="TooDeep"/>.</param>
        public PlainValueConverter(Func<object, object> unwrap = null, Func<object, object> leaf = null, IEqualityComparer keys = null,
            int maxDepth = MaxDepth, Func<Exception> tooDeep = null)
        {
            _unwrap = unwrap ?? (v => v);
            _leaf = leaf ?? (v => v);
            _keys = keys;
            _maxDepth = Math.Min(maxDepth, MaxDepth);
            _tooDeep = tooDeep ?? TooDeep;
        }

        /// <summary>The error for a body nested deeper than <see cref="MaxDepth"/>.</summary>
        public static Exception TooDeep() => new ArgumentException($"The body nests deeper than {MaxDepth} levels.");

        public object Convert(object value) => Convert(value, 0);

        private object Convert(object value, int depth)
        {
            if (depth > _maxDepth) throw _tooDeep();
            value = _unwrap(value);
            switch (value)
            {
                case null: return null;
                case string _: return _leaf(value);
                case IDictionary dictionary:
                    var map = new OrderedDictionary(_keys);
                    foreach (DictionaryEntry entry in dictionary)
                        map[System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = Convert(entry.Value, depth + 1);
                    return map;
                case IEnumerable sequence:
                    var list = new List<object>();
                    foreach (var item in sequence) list.Add(Convert(item, depth + 1));
                    return list.ToArray();
                default:
                    return _leaf(value);
            }
        }
    }
}

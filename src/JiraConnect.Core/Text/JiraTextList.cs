using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace JiraConnect
{
    /// <summary>
    /// A read-only list of strings whose ToString() joins the items with "; ", so that Export-Csv, ConvertTo-Csv and
    /// string expansion show the values instead of a type name. It enumerates, indexes and converts to string[] like an array.
    /// </summary>
    public sealed class JiraTextList : IReadOnlyList<string>, IList<string>, IList
    {
        public const string Separator = "; ";

        private readonly string[] _items;

        public static readonly JiraTextList Empty = new JiraTextList(Array.Empty<string>());

        public JiraTextList(IEnumerable<string> items)
        {
            _items = items == null ? Array.Empty<string>() : items.ToArray();
        }

        public int Count => _items.Length;
        public string this[int index] => _items[index];

        public bool Contains(string item) => Array.IndexOf(_items, item) >= 0;
        public int IndexOf(string item) => Array.IndexOf(_items, item);
        public string[] ToArray() => (string[])_items.Clone();
        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_items).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

        /// <summary>The items joined with "; ", control characters escaped.</summary>
        public override string ToString() => DisplayText.Escape(string.Join(Separator, _items));

        public static implicit operator JiraTextList(string[] items) => items == null ? null : new JiraTextList(items);
        public static implicit operator JiraTextList(List<string> items) => items == null ? null : new JiraTextList(items);

        string IList<string>.this[int index] { get => _items[index]; set => throw ReadOnly(); }
        bool ICollection<string>.IsReadOnly => true;
        void ICollection<string>.Add(string item) => throw ReadOnly();
        void ICollection<string>.Clear() => throw ReadOnly();
        void ICollection<string>.CopyTo(string[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);
        bool ICollection<string>.Remove(string item) => throw ReadOnly();
        void IList<string>.Insert(int index, string item) => throw ReadOnly();
        void IList<string>.RemoveAt(int index) => throw ReadOnly();

        object IList.this[int index] { get => _items[index]; set => throw ReadOnly(); }
        bool IList.IsFixedSize => true;
        bool IList.IsReadOnly => true;
        int IList.Add(object value) => throw ReadOnly();
        void IList.Clear() => throw ReadOnly();
        bool IList.Contains(object value) => value is string s && Contains(s);
        int IList.IndexOf(object value) => value is string s ? IndexOf(s) : -1;
        void IList.Insert(int index, object value) => throw ReadOnly();
        void IList.Remove(object value) => throw ReadOnly();
        void IList.RemoveAt(int index) => throw ReadOnly();
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => _items;
        void ICollection.CopyTo(Array array, int index) => _items.CopyTo(array, index);

        private static NotSupportedException ReadOnly() => new NotSupportedException("The list is read-only.");
    }
}

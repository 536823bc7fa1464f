using System;
using System.Collections.Generic;
using System.Text.Json;

namespace JiraConnect.Json
{
    /// <summary>
    /// Reads project listings straight into <see cref="JiraProject"/> objects with a forward-only reader: the
    /// hot path of a listing, so no intermediate wire objects and no per-project URL parsing.
    /// </summary>
    internal static class ProjectJson
    {
        public sealed class Page
        {
            public List<JiraProject> Items { get; } = new List<JiraProject>();
            public long? Total { get; set; }
            public bool? IsLast { get; set; }
        }

        /// <summary>A /project/search page: {startAt, maxResults, total, isLast, values: [...]}.</summary>
        public static Page ReadPage(byte[] utf8, string session)
        {
            var page = new Page();
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("values"u8)) { reader.Read(); ReadArray(ref reader, page.Items, session); }
                else if (reader.ValueTextEquals("total"u8)) { reader.Read(); page.Total = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : (long?)null; }
                else if (reader.ValueTextEquals("isLast"u8)) { reader.Read(); page.IsLast = reader.TokenType == JsonTokenType.True ? true : reader.TokenType == JsonTokenType.False ? false : (bool?)null; }
                else { reader.Read(); reader.Skip(); }
            }
            return page;
        }

        /// <summary>A bare array of projects (GET /project).</summary>
        public static List<JiraProject> ReadList(byte[] utf8, string session)
        {
            var items = new List<JiraProject>();
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            reader.Read();
            ReadArray(ref reader, items, session);
            return items;
        }

        private static void ReadArray(ref Utf8JsonReader reader, List<JiraProject> items, string session)
        {
            if (reader.TokenType == JsonTokenType.Null) return;
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Expected an array of projects.");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                items.Add(ReadProject(ref reader, session));
        }

        private static JiraProject ReadProject(ref Utf8JsonReader reader, string session)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected a project object.");
            var project = new JiraProject { Session = session };
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8)) project.Id = NextString(ref reader);
                else if (reader.ValueTextEquals("key"u8)) project.Key = NextString(ref reader);
                else if (reader.ValueTextEquals("name"u8)) project.Name = NextString(ref reader);
                else if (reader.ValueTextEquals("self"u8)) project.SelfLink = NextString(ref reader);
                else if (reader.ValueTextEquals("projectTypeKey"u8)) project.ProjectTypeKey = NextString(ref reader);
                else if (reader.ValueTextEquals("style"u8)) project.Style = NextString(ref reader);
                else if (reader.ValueTextEquals("simplified"u8)) project.Simplified = NextBool(ref reader);
                else if (reader.ValueTextEquals("isPrivate"u8)) project.IsPrivate = NextBool(ref reader);
                else if (reader.ValueTextEquals("archived"u8)) project.Archived = NextBool(ref reader);
                else if (reader.ValueTextEquals("projectCategory"u8)) project.Category = NextMember(ref reader, "name");
                else if (reader.ValueTextEquals("lead"u8)) project.Lead = NextMember(ref reader, "displayName");
                else { reader.Read(); reader.Skip(); }
            }
            return project;
        }

        private static string NextString(ref Utf8JsonReader reader)
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String: return reader.GetString();
                case JsonTokenType.Number: return System.Text.Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                case JsonTokenType.Null: return null;
                default: reader.Skip(); return null;
            }
        }

        private static bool NextBool(ref Utf8JsonReader reader)
        {
            reader.Read();
            return reader.TokenType == JsonTokenType.True;
        }

        /// <summary>One string member of a nested object, e.g. projectCategory.name.</summary>
        private static string NextMember(ref Utf8JsonReader reader, string member)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return null; }
            string value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(member)) value = NextString(ref reader);
                else { reader.Read(); reader.Skip(); }
            }
            return value;
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (!reader.Read() || reader.TokenType != type) throw new JsonException($"Expected {type} at the start of the answer.");
        }
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Tests.Contract;

/// <summary>
/// Validates a JSON value against an OpenAPI 3.0 schema object of a document: $ref (local), type, nullable,
/// enum, format (date-time, uri, uuid, int32, int64), properties, required, additionalProperties,
/// readOnly/writeOnly (response direction), items, min/max (length, items, value), pattern, uniqueItems,
/// allOf, anyOf and oneOf. Each mismatch is reported with the JSON path of the offending value.
/// </summary>
public sealed partial class SchemaValidator
{
    private const int MaxDepth = 256;
    private readonly JsonElement _root;
    private readonly bool _bareObjectMeansAnyValue;

    /// <param name="documentRoot">The OpenAPI document, for resolving $ref.</param>
    /// <param name="bareObjectMeansAnyValue">
    /// Treat <c>{"type":"object"}</c> without any member constraint as "any value". Documents generated from
    /// Java beans (Jira Data Center's) write <c>java.lang.Object</c>, e.g. an issue field value, that way.
    /// </param>
    public SchemaValidator(JsonElement documentRoot, bool bareObjectMeansAnyValue = false)
    {
        _root = documentRoot;
        _bareObjectMeansAnyValue = bareObjectMeansAnyValue;
    }

    /// <summary>Validates a response value; an empty list means it conforms.</summary>
    public IReadOnlyList<string> Validate(JsonElement schema, JsonElement instance)
    {
        var errors = new List<string>();
        Validate(schema, instance, "$", errors, 0);
        return errors;
    }

    /// <summary>Resolves a local reference such as <c>#/components/schemas/Project</c>.</summary>
    public JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported: {reference}");
        }

        var node = _root;
        foreach (var raw in reference[2..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(segment, out node))
            {
                throw new KeyNotFoundException($"The reference {reference} does not resolve.");
            }
        }

        return node;
    }

    private void Validate(JsonElement schema, JsonElement instance, string path, List<string> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add($"{path}: schema nesting deeper than {MaxDepth} (circular reference?)");
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return; // true or an empty schema: anything goes
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            // In OpenAPI 3.0 a $ref replaces its siblings.
            Validate(Resolve(reference.GetString()!), instance, path, errors, depth + 1);
            return;
        }

        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (_bareObjectMeansAnyValue && type == "object" && !HasMemberConstraints(schema))
        {
            return;
        }

        if (instance.ValueKind == JsonValueKind.Null)
        {
            if (!IsTrue(schema, "nullable") && (type is not null || HasComposition(schema)))
            {
                errors.Add($"{path}: null is not allowed (the schema is not nullable)");
            }

            return;
        }

        if (type is not null && !HasType(instance, type))
        {
            errors.Add($"{path}: expected {type} but found {Describe(instance)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance)))
        {
            errors.Add($"{path}: {instance.GetRawText()} is not one of {values.GetRawText()}");
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.String:
                ValidateString(schema, instance.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, instance, path, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, instance, path, errors, depth);
                break;
            case JsonValueKind.Object:
                ValidateObject(schema, instance, path, errors, depth);
                break;
        }

        ValidateComposition(schema, instance, path, errors, depth);
    }

    private void ValidateObject(JsonElement schema, JsonElement instance, string path, List<string> errors, int depth)
    {
        var declared = schema.TryGetProperty("properties", out var properties) ? properties : default;
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    errors.Add($"{Member(path, name)}: required property is missing");
                }
            }
        }

        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        foreach (var property in instance.EnumerateObject())
        {
            var memberPath = Member(path, property.Name);
            if (declared.ValueKind == JsonValueKind.Object && declared.TryGetProperty(property.Name, out var propertySchema))
            {
                if (IsTrue(Dereference(propertySchema), "writeOnly"))
                {
                    errors.Add($"{memberPath}: the property is writeOnly and must not appear in a response");
                }

                Validate(propertySchema, property.Value, memberPath, errors, depth + 1);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{memberPath}: property is not defined by the schema (additionalProperties is false)");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Validate(additional, property.Value, memberPath, errors, depth + 1);
            }
        }

        if (schema.TryGetProperty("minProperties", out var min) && instance.EnumerateObject().Count() < min.GetInt32())
        {
            errors.Add($"{path}: fewer than {min.GetInt32()} properties");
        }
    }

    private void ValidateArray(JsonElement schema, JsonElement instance, string path, List<string> errors, int depth)
    {
        var length = instance.GetArrayLength();
        if (schema.TryGetProperty("minItems", out var min) && length < min.GetInt32())
        {
            errors.Add($"{path}: {length} items, fewer than minItems {min.GetInt32()}");
        }

        if (schema.TryGetProperty("maxItems", out var max) && length > max.GetInt32())
        {
            errors.Add($"{path}: {length} items, more than maxItems {max.GetInt32()}");
        }

        if (IsTrue(schema, "uniqueItems"))
        {
            var items = instance.EnumerateArray().ToList();
            for (var i = 1; i < items.Count; i++)
            {
                if (items.Take(i).Any(previous => JsonElement.DeepEquals(previous, items[i])))
                {
                    errors.Add($"{path}[{i}]: duplicate item, but uniqueItems is true");
                }
            }
        }

        if (schema.TryGetProperty("items", out var itemSchema))
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                Validate(itemSchema, item, $"{path}[{index++}]", errors, depth + 1);
            }
        }
    }

    private static void ValidateString(JsonElement schema, string value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("maxLength", out var max) && value.Length > max.GetInt32())
        {
            errors.Add($"{path}: length {value.Length} exceeds maxLength {max.GetInt32()}");
        }

        if (schema.TryGetProperty("minLength", out var min) && value.Length < min.GetInt32())
        {
            errors.Add($"{path}: length {value.Length} is below minLength {min.GetInt32()}");
        }

        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(value, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{path}: \"{value}\" does not match the pattern {pattern.GetString()}");
        }

        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var valid = format switch
        {
            "date-time" => DateTimePattern().IsMatch(value),
            "uri" => Uri.TryCreate(value, UriKind.Absolute, out _),
            "uuid" => Guid.TryParse(value, out _),
            _ => true,
        };
        if (!valid)
        {
            errors.Add($"{path}: \"{value}\" is not a valid {format}");
        }
    }

    private static void ValidateNumber(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if ((format == "int32" && !instance.TryGetInt32(out _)) || (format == "int64" && !instance.TryGetInt64(out _)))
        {
            errors.Add($"{path}: {instance.GetRawText()} does not fit {format}");
        }

        var value = instance.GetDouble();
        if (schema.TryGetProperty("minimum", out var min) && value < min.GetDouble())
        {
            errors.Add($"{path}: {instance.GetRawText()} is below the minimum {min.GetRawText()}");
        }

        if (schema.TryGetProperty("maximum", out var max) && value > max.GetDouble())
        {
            errors.Add($"{path}: {instance.GetRawText()} is above the maximum {max.GetRawText()}");
        }
    }

    private void ValidateComposition(JsonElement schema, JsonElement instance, string path, List<string> errors, int depth)
    {
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Validate(part, instance, path, errors, depth + 1);
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var results = anyOf.EnumerateArray().Select(part => Attempt(part, instance, path, depth)).ToList();
            if (results.All(r => r.Count > 0))
            {
                errors.Add($"{path}: matches none of the anyOf schemas; closest: {string.Join("; ", results.MinBy(r => r.Count)!)}");
            }
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var results = oneOf.EnumerateArray().Select(part => Attempt(part, instance, path, depth)).ToList();
            var matches = results.Count(r => r.Count == 0);
            if (matches == 0)
            {
                errors.Add($"{path}: matches none of the oneOf schemas; closest: {string.Join("; ", results.MinBy(r => r.Count)!)}");
            }
            else if (matches > 1)
            {
                errors.Add($"{path}: matches {matches} of the oneOf schemas, exactly one is allowed");
            }
        }
    }

    private List<string> Attempt(JsonElement schema, JsonElement instance, string path, int depth)
    {
        var errors = new List<string>();
        Validate(schema, instance, path, errors, depth + 1);
        return errors;
    }

    private JsonElement Dereference(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference)
            ? Resolve(reference.GetString()!)
            : schema;

    private static bool HasType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && IsInteger(instance),
        _ => throw new NotSupportedException($"Unknown schema type '{type}'."),
    };

    private static bool IsInteger(JsonElement number) =>
        number.TryGetInt64(out _) || (decimal.TryParse(number.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d));

    private static bool HasComposition(JsonElement schema) =>
        schema.TryGetProperty("allOf", out _) || schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("oneOf", out _);

    private static bool HasMemberConstraints(JsonElement schema) =>
        schema.TryGetProperty("properties", out _) || schema.TryGetProperty("additionalProperties", out _)
        || schema.TryGetProperty("required", out _) || HasComposition(schema);

    private static bool IsTrue(JsonElement schema, string keyword) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.True;

    private static string Describe(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(instance.GetString()!)}\"",
        JsonValueKind.Number => $"the number {instance.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {instance.GetRawText()}",
        _ => instance.ValueKind.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Member(string path, string name) =>
        IdentifierPattern().IsMatch(name) ? $"{path}.{name}" : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>RFC 3339 date-time, also with Jira's offset without a colon (+0000).</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex IdentifierPattern();
}

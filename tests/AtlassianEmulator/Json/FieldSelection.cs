using Microsoft.Extensions.Primitives;

namespace AtlassianEmulator;

/// <summary>
/// The issue fields a request asks for, from the repeatable, comma-separated <c>fields</c> parameter:
/// <c>*all</c>, <c>*navigable</c>, field names, and <c>-name</c> to leave one out. <c>id</c> and
/// <c>key</c> are always part of an issue and are not fields.
/// </summary>
internal sealed class FieldSelection
{
    private readonly bool _all;
    private readonly HashSet<string> _included;
    private readonly HashSet<string> _excluded;

    private FieldSelection(bool all, HashSet<string> included, HashSet<string> excluded)
    {
        _all = all;
        _included = included;
        _excluded = excluded;
    }

    public static FieldSelection AllFields { get; } = new(true, [], []);

    public static FieldSelection NoFields { get; } = new(false, [], []);

    public bool IsEmpty => !_all && _included.Count == 0;

    public static FieldSelection Parse(StringValues values, FieldSelection whenAbsent)
    {
        var all = false;
        var any = false;
        var included = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var excluded = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                any = true;
                if (token is "*all" or "*navigable")
                {
                    all = true;
                }
                else if (token.StartsWith('-'))
                {
                    excluded.Add(token[1..]);
                }
                else if (token is not ("id" or "key"))
                {
                    included.Add(token);
                }
            }
        }

        if (!any)
        {
            return whenAbsent;
        }

        // Only exclusions ("-description") mean: the navigable fields except those.
        all |= included.Count == 0 && excluded.Count > 0;
        return new FieldSelection(all, included, excluded);
    }

    public bool Includes(string field) =>
        !_excluded.Contains(field) && (_all || _included.Contains(field));
}

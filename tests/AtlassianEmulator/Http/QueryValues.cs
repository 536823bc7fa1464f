using System.Globalization;

namespace AtlassianEmulator;

/// <summary>A requested page: the index of the first item and the page size.</summary>
internal readonly record struct PageRequest(int StartAt, int MaxResults)
{
    public IEnumerable<T> Slice<T>(IReadOnlyList<T> items)
    {
        var end = (int)Math.Min((long)StartAt + MaxResults, items.Count);
        for (var i = StartAt; i < end; i++)
        {
            yield return items[i];
        }
    }

    public bool IsLast(int total) => (long)StartAt + MaxResults >= total;
}

/// <summary>Reading query parameters the way Jira does: repeatable and comma-separated lists, bounded integers.</summary>
internal static class QueryValues
{
    /// <summary>Every value of a repeatable parameter, with comma-separated values split apart.</summary>
    public static List<string> List(HttpRequest request, string name)
    {
        var result = new List<string>();
        foreach (var value in request.Query[name])
        {
            result.AddRange((value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return result;
    }

    public static string? Single(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>A non-negative integer parameter; null result is an error response to send.</summary>
    public static IResult? TryReadCount(HttpRequest request, string name, int whenAbsent, out int value)
    {
        value = whenAbsent;
        var text = Single(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < 0)
        {
            value = whenAbsent;
            return JiraErrors.Error(StatusCodes.Status400BadRequest, $"The value '{text}' is not valid for the parameter '{name}'.");
        }

        return null;
    }

    /// <summary>
    /// startAt and maxResults; maxResults defaults to <paramref name="defaultMax"/>, is cut to <paramref name="cap"/>
    /// and is at least 1, so that a page always moves on.
    /// </summary>
    public static IResult? TryReadPage(HttpRequest request, int defaultMax, int cap, out PageRequest page)
    {
        var startError = TryReadCount(request, "startAt", 0, out var startAt);
        var error = TryReadCount(request, "maxResults", defaultMax, out var maxResults) ?? startError;
        page = error is null ? new PageRequest(startAt, Math.Clamp(maxResults, 1, cap)) : default;
        return error;
    }

    public static bool Flag(HttpRequest request, string name) =>
        bool.TryParse(Single(request, name), out var flag) && flag;
}

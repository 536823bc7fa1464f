using System.Globalization;

namespace AtlassianEmulator;

/// <summary>Jira's timestamp format: 2024-01-08T09:00:00.000+0000.</summary>
internal static class JiraTime
{
    public static string Format(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{value:yyyy-MM-dd'T'HH:mm:ss.fff}{sign}{abs.Hours:00}{abs.Minutes:00}");
    }
}

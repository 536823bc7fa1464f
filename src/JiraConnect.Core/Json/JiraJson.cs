using System.Text.Json;

namespace JiraConnect.Json
{
    internal static class JiraJson
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
        };

        public static T Deserialize<T>(byte[] utf8) => JsonSerializer.Deserialize<T>(utf8, Options);
    }
}

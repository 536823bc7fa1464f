using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Security;

namespace JiraConnect.Automation
{
    /// <summary>One request to the automation rule API: sent through the session's client, its failures mapped to the rule API's ErrorIds, its answer parsed as JSON.</summary>
    internal sealed class AutomationApiTransport
    {
        private readonly JiraClient _client;

        internal AutomationApiTransport(JiraClient client)
        {
            _client = client;
        }

        internal async Task<JsonObject> SendJsonAsync(HttpMethod method, Uri url, JsonObject body, CancellationToken ct)
        {
            var response = await SendAsync(method, url, body?.ToJsonString(), ct).ConfigureAwait(false);
            if (response.Body.Length == 0) return null;
            try
            {
                return JsonNode.Parse(response.BodyText) as JsonObject;
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new JiraProtocolException(JiraErrorId.InvalidJsonResponse, $"The answer from {Redactor.Url(url)} is not valid JSON.", Redactor.Url(url),
                    "Check that the site is a Jira Cloud site; retry if the connection was cut short.", e);
            }
        }

        internal async Task<JiraResponse> SendAsync(HttpMethod method, Uri url, string json, CancellationToken ct)
        {
            try
            {
                return await _client.SendAsync(method, url, json, ct).ConfigureAwait(false);
            }
            catch (JiraApiException e)
            {
                throw AutomationErrors.Map(e, method, url);
            }
        }
    }
}

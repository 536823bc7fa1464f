using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.ServiceAccounts;

namespace JiraConnect
{
    /// <summary>Turns an HTTP answer into the typed exception that says what went wrong and what to do.</summary>
    internal static class JiraErrorFactory
    {
        private const string ApiTokenUrl = "https://id.atlassian.com/manage-profile/security/api-tokens";

        /// <summary>Throws when the answer is not a usable success; returns otherwise.</summary>
        /// <param name="dataCenterServiceAccount">The request went as a Jira Data Center service account (client credentials).</param>
        public static void EnsureSuccess(JiraResponse response, bool sentCredentials, bool dataCenterServiceAccount = false)
        {
            var error = Create(response, sentCredentials, dataCenterServiceAccount);
            if (error != null) throw error;
        }

        public static JiraException Create(JiraResponse response, bool sentCredentials, bool dataCenterServiceAccount = false)
        {
            string seraph = response.Header("X-Seraph-LoginReason") ?? string.Empty;
            string denied = response.Header("X-Authentication-Denied-Reason") ?? string.Empty;
            int status = (int)response.StatusCode;

            if (seraph.IndexOf("AUTHENTICATION_DENIED", StringComparison.OrdinalIgnoreCase) >= 0
                || denied.IndexOf("CAPTCHA", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                var (deniedMessages, deniedErrors) = ReadErrorBody(response);
                return new JiraAuthenticationException(JiraErrorId.CaptchaRequired, response.StatusCode,
                    "Jira refused the login because a CAPTCHA challenge is pending for this account (too many failed logins).",
                    Redactor.Url(response.Url), deniedMessages, deniedErrors,
                    "Log in to the site once in a web browser and answer the CAPTCHA, then connect again with the correct credentials.");
            }

            // Every answer passes through here: a usable success costs two header lookups, nothing more.
            if (response.IsSuccess)
            {
                if (sentCredentials && seraph.IndexOf("AUTHENTICATED_FAILED", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return new JiraAuthenticationException(JiraErrorId.AuthenticatedAsAnonymous, response.StatusCode,
                        "Jira answered as an anonymous user: the credentials were not accepted (X-Seraph-LoginReason: AUTHENTICATED_FAILED), so any data returned would be only what anonymous users may see.",
                        Redactor.Url(response.Url), Array.Empty<string>(), new Dictionary<string, string>(),
                        "Check the email address or user name and the API token or password. On Jira Cloud create a new API token at " + ApiTokenUrl + ".");
                }
                if (response.IsHtml)
                {
                    return new JiraProtocolException(JiraErrorId.HtmlLoginPage,
                        "The server answered with an HTML page instead of JSON; this is usually a single sign-on proxy's login page, not Jira's REST API.",
                        Redactor.Url(response.Url),
                        "Use the URL that reaches Jira's REST API directly (ask the proxy owners for an API bypass), or authenticate with a credential the proxy accepts, such as a personal access token.");
                }
                return null;
            }

            string target = Redactor.Url(response.Url);
            var (messages, errors) = ReadErrorBody(response);
            string jiraSays = messages.Count > 0 ? string.Join(" ", messages) : string.Join(" ", errors.Select(e => e.Key + ": " + e.Value));

            switch (status)
            {
                case 401:
                    if (response.BodyText.IndexOf("passwords is deprecated", StringComparison.OrdinalIgnoreCase) >= 0
                        || response.BodyText.IndexOf("password is deprecated", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return new JiraAuthenticationException(JiraErrorId.ApiTokenRequired, response.StatusCode,
                            "Jira Cloud refused a password: basic authentication with passwords is deprecated, an API token is required.",
                            target, new[] { Redactor.Text(Trim(response.BodyText)) }, errors,
                            "Create an API token at " + ApiTokenUrl + " and pass it as the password of -Credential.");
                    }
                    if (GatewayScope.IsScopeMismatch(response.BodyText))
                    {
                        string scope = GatewayScope.RequiredFor(response.Method, response.Url);
                        return new JiraAuthenticationException(JiraErrorId.GatewayScopeMissing, response.StatusCode,
                            $"The API gateway refused {response.Method} {target}: the credential lacks the scope {scope} (Jira says: {Redactor.Text(Trim(jiraSays))}).",
                            target, messages, errors, GatewayScope.Remedy(scope));
                    }
                    return new JiraAuthenticationException(JiraErrorId.AuthenticationFailed, response.StatusCode,
                        "Jira rejected the credentials (401 Unauthorized)." + Suffix(jiraSays),
                        target, messages, errors,
                        "Check the user name or email address and the API token, password or personal access token; tokens expire. On Jira Cloud create a new API token at " + ApiTokenUrl + ".");
                case 403:
                    if (jiraSays.IndexOf("Basic Authentication has been disabled", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return new JiraAuthenticationException(JiraErrorId.BasicAuthDisabled, response.StatusCode,
                            "Basic authentication is disabled on this Jira instance." + Suffix(jiraSays),
                            target, messages, errors,
                            "Create a personal access token in Jira (Profile → Personal Access Tokens) and connect with -PersonalAccessToken.");
                    }
                    if (dataCenterServiceAccount)
                    {
                        // Not retried: a new token has the same scopes, and the refusal is by design.
                        return new JiraPermissionException(JiraErrorId.ServiceAccountEndpointRefused, response.StatusCode,
                            $"Jira Data Center refused {response.Method} {target} to the service account (403 Forbidden): service accounts cannot call ADMIN, SYSTEM_ADMIN or PROJECT_ADMIN endpoints, only /rest/api/2, and need the WRITE scope for changes." + Suffix(jiraSays),
                            target, messages, errors,
                            "Make this call with an administrator's personal access token (Connect-JiraSite -PersonalAccessToken) instead of the service account; for a change outside administration, give the service account's credential the WRITE scope and the project access it needs.");
                    }
                    return new JiraPermissionException(JiraErrorId.PermissionDenied, response.StatusCode,
                        "Jira refused the request (403 Forbidden)." + Suffix(jiraSays),
                        target, messages, errors,
                        "Make sure the account has the needed permission in the project (for the connector account: add it to the project's Administrators role).");
                case 404:
                    return new JiraNotFoundException(JiraErrorId.NotFound,
                        "Jira found nothing at this address (404 Not Found)." + Suffix(jiraSays),
                        target, messages, errors,
                        "Check the path, key or ID, and that the account may see it.");
                case 400:
                    return new JiraApiException(JiraErrorId.BadRequest, JiraErrorKind.InvalidArgument, response.StatusCode,
                        "Jira rejected the request as invalid (400 Bad Request)." + Suffix(jiraSays),
                        target, messages, errors, "Correct the parameters Jira names in its message.");
                case 429:
                case 503:
                    string wait = response.RetryAfter.HasValue ? $" Jira asked to wait {response.RetryAfter.Value.TotalSeconds:0} s (Retry-After)." : string.Empty;
                    return new JiraRateLimitException(response.StatusCode,
                        (status == 429 ? "Jira's rate limit was reached (429 Too Many Requests)" : "Jira is unavailable (503 Service Unavailable)")
                        + " and the retries were used up." + wait + Suffix(jiraSays),
                        target, messages, response.RetryAfter,
                        "Wait and run the command again, lower the request rate, or raise -MaximumRetryCount on Connect-JiraSite.");
            }

            if (response.IsHtml && status >= 300 && status < 500)
            {
                return new JiraProtocolException(JiraErrorId.HtmlLoginPage,
                    $"The server answered {status} with an HTML page instead of JSON; this is usually a single sign-on proxy, not Jira's REST API.",
                    target, "Use the URL that reaches Jira's REST API directly, or a credential the proxy accepts.");
            }

            if (status >= 500)
            {
                return new JiraApiException(JiraErrorId.ServerError, JiraErrorKind.ResourceUnavailable, response.StatusCode,
                    $"Jira failed with {status} {response.ReasonPhrase}." + Suffix(jiraSays), target, messages, errors,
                    "Try again later; if it persists, check the site status page or the Jira server logs.");
            }

            return new JiraApiException(JiraErrorId.UnexpectedStatus, JiraErrorKind.Protocol, response.StatusCode,
                $"Jira answered {status} {response.ReasonPhrase}." + Suffix(jiraSays), target, messages, errors,
                status == 407 ? "The proxy requires authentication: pass -ProxyCredential." : "Check the URL and the request.");
        }

        internal static string Suffix(string jiraSays) => string.IsNullOrWhiteSpace(jiraSays) ? string.Empty : " Jira says: " + jiraSays;

        /// <summary>" Jira says: …" with the error messages Jira sent, or nothing.</summary>
        internal static string Suffix(JiraApiException e) => Suffix(string.Join(" ", e.ErrorMessages));

        private static string Trim(string text)
        {
            text = (text ?? string.Empty).Trim();
            return text.Length <= 500 ? text : text.Substring(0, 500) + "…";
        }

        /// <summary>Reads Jira's error shapes: {errorMessages, errors}, {message, status-code}, or plain text.</summary>
        internal static (IReadOnlyList<string> Messages, IReadOnlyDictionary<string, string> Errors) ReadErrorBody(JiraResponse response)
        {
            var messages = new List<string>();
            var errors = new Dictionary<string, string>();
            if (response.Body.Length == 0 || response.IsSuccess) return (messages, errors);
            if (response.IsHtml) return (messages, errors);
            try
            {
                using (var doc = JsonDocument.Parse(response.Body))
                {
                    var root = doc.RootElement;
                    if (root.ValueKind == JsonValueKind.Object)
                    {
                        if (root.TryGetProperty("errorMessages", out var list) && list.ValueKind == JsonValueKind.Array)
                            messages.AddRange(list.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => Redactor.Text(m.GetString())));
                        if (root.TryGetProperty("errors", out var map) && map.ValueKind == JsonValueKind.Object)
                            foreach (var p in map.EnumerateObject()) errors[p.Name] = Redactor.Text(p.Value.ToString());
                        // The Automation API's shape: {"errors":[{"title","detail","code"}]}.
                        if (root.TryGetProperty("errors", out var array) && array.ValueKind == JsonValueKind.Array)
                            foreach (var item in array.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                                foreach (var name in new[] { "title", "detail" })
                                    if (item.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                                        messages.Add(Redactor.Text(text.GetString()));
                        foreach (var name in new[] { "message", "errorMessage", "error_description", "error" })
                            if (messages.Count == 0 && root.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String)
                                messages.Add(Redactor.Text(m.GetString()));
                    }
                    return (messages, errors);
                }
            }
            catch (JsonException)
            {
                string text = Trim(response.BodyText);
                if (text.Length > 0) messages.Add(Redactor.Text(text));
                return (messages, errors);
            }
        }
    }
}

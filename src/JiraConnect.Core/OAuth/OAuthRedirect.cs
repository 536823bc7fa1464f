using System;
using System.Collections.Generic;
using System.Linq;
using JiraConnect.Http.Wire;

namespace JiraConnect.OAuth
{
    /// <summary>Reads the redirect back from the authorization page: code and state, or error.</summary>
    internal static class OAuthRedirect
    {
        /// <summary>The query's parameters, decoded; a name given twice keeps its first value.</summary>
        public static IDictionary<string, string> ParseQuery(string query)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var parameter in FormCodec.Parse((query ?? string.Empty).TrimStart('?')))
                if (!values.ContainsKey(parameter.Key)) values[parameter.Key] = parameter.Value;
            return values;
        }

        /// <summary>True when the redirect carries the request's state: only such an answer may end the consent.</summary>
        public static bool CarriesStateOf(IDictionary<string, string> query, JiraOAuthAuthorizationRequest request) =>
            query.TryGetValue("state", out var state) && state != null && ConstantTime.AreEqual(state, request.State);

        /// <summary>The code of a redirect that belongs to the request; throws the matching error otherwise.</summary>
        public static string Evaluate(IDictionary<string, string> query, JiraOAuthAuthorizationRequest request)
        {
            query.TryGetValue("state", out var state);
            bool stateMatches = state != null && ConstantTime.AreEqual(state, request.State);
            if (query.TryGetValue("error", out var error) && !string.IsNullOrEmpty(error))
            {
                // A state that is present must match; Atlassian may leave it off an error redirect.
                if (state != null && !stateMatches) throw StateMismatch(request, present: true);
                query.TryGetValue("error_description", out var description);
                throw Error(error, description, request);
            }
            if (!query.TryGetValue("code", out var code) || string.IsNullOrEmpty(code))
            {
                throw new JiraOAuthException(JiraErrorId.OAuthInvalidAuthorizationResponse, JiraErrorKind.Protocol,
                    "The redirect carried neither a code nor an error.", Target(request), null,
                    "Run Invoke-JiraOAuthConsent again and finish the consent in the browser.");
            }
            if (!stateMatches) throw StateMismatch(request, present: state != null);
            return code;
        }

        /// <summary>A pasted redirect address (checked like a redirect) or a bare code (which carries no state to check).</summary>
        public static string ReadPasted(string text, JiraOAuthAuthorizationRequest request)
        {
            text = (text ?? string.Empty).Trim().Trim('"', '\'');
            int question = text.IndexOf('?');
            if (question >= 0 || text.Contains("code=") || text.Contains("error="))
            {
                string query = question >= 0 ? text.Substring(question + 1) : text;
                int hash = query.IndexOf('#');
                if (hash >= 0) query = query.Substring(0, hash);
                return Evaluate(ParseQuery(query), request);
            }
            if (text.Length >= 8 && text.Length <= 4096 && text.All(c => char.IsLetterOrDigit(c) || "-._~+/=".IndexOf(c) >= 0)) return text;
            throw new JiraOAuthException(JiraErrorId.OAuthInvalidAuthorizationResponse, JiraErrorKind.InvalidArgument,
                "The pasted text is neither the address the browser was sent to nor an authorization code.", Target(request), null,
                "Copy the whole address from the browser's address bar after you click Accept (it starts with the redirect URI and contains code= and state=).");
        }

        private static JiraOAuthException StateMismatch(JiraOAuthAuthorizationRequest request, bool present) =>
            new JiraOAuthException(JiraErrorId.OAuthStateMismatch, JiraErrorKind.Security,
                present
                    ? "The redirect's state does not match this authorization request: the answer belongs to another request or was forged, so its code was not used."
                    : "The redirect carries no state, so it cannot be tied to this authorization request; its code was not used.",
                Target(request), null,
                "Run Invoke-JiraOAuthConsent again and complete the consent in the browser it opens; do not reuse an old consent page or link.");

        internal static JiraOAuthException Error(string error, string description, JiraOAuthAuthorizationRequest request)
        {
            string says = string.IsNullOrEmpty(description) ? error : error + ": " + Security.Redactor.Text(description);
            if (error == "access_denied")
            {
                return new JiraOAuthException(JiraErrorId.OAuthAccessDenied, JiraErrorKind.PermissionDenied,
                    $"Consent was declined ({says}).", Target(request), error,
                    "Run Invoke-JiraOAuthConsent again and click Accept, with the account the integration should act as.");
            }
            string advice;
            switch (error)
            {
                case "invalid_scope": advice = "Request only scopes added to the app in the developer console (Permissions), written as in -Scope read:jira-work, offline_access."; break;
                case "unauthorized_client": advice = "Check the client ID and that the redirect URI equals a callback URL registered for the app."; break;
                case "unsupported_response_type":
                case "invalid_request": advice = "Check the OAuth environment (-Environment) and the app registration; the request must carry audience=api.atlassian.com."; break;
                default: advice = "Read the error description; fix the app registration in the developer console and run Invoke-JiraOAuthConsent again."; break;
            }
            return new JiraOAuthException(JiraErrorId.OAuthAuthorizationFailed, JiraErrorKind.Authentication,
                $"The authorization server refused the request ({says}).", Target(request), error, advice);
        }

        private static string Target(JiraOAuthAuthorizationRequest request) => request.RedirectUri.GetLeftPart(UriPartial.Path);
    }
}

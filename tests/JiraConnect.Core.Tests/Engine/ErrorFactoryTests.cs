using System;
using System.Net;
using JiraConnect.Http;
using Xunit;
using static JiraConnect.Core.Tests.Engine.TestSupport;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>JiraErrorFactory on answers built by hand, one per shape Jira is known to send.</summary>
    public class ErrorFactoryTests
    {
        [Fact]
        public void SuccessIsNotAnError()
        {
            Assert.Null(JiraErrorFactory.Create(Response(200, "{\"accountId\":\"x\"}"), sentCredentials: true));
            Assert.Null(JiraErrorFactory.Create(Response(204, string.Empty, contentType: null), sentCredentials: true));
        }

        [Fact]
        public void AnonymousFallbackWithCredentialsIsAnAuthenticationError()
        {
            var response = Response(200, "[]", url: "https://example.atlassian.net/rest/api/3/project",
                headers: ("X-Seraph-LoginReason", "AUTHENTICATED_FAILED"));
            var error = Assert.IsType<JiraAuthenticationException>(JiraErrorFactory.Create(response, sentCredentials: true));
            Assert.Equal(JiraErrorId.AuthenticatedAsAnonymous, error.ErrorId);
            Assert.Equal(JiraErrorKind.Authentication, error.Kind);
            Assert.Equal(HttpStatusCode.OK, error.StatusCode);
            Assert.Equal("https://example.atlassian.net/rest/api/3/project", error.Target);
            Assert.Contains("api-tokens", error.RecommendedAction);

            // Without credentials an anonymous answer is what was asked for.
            Assert.Null(JiraErrorFactory.Create(response, sentCredentials: false));
        }

        [Theory]
        [InlineData(401, "AUTHENTICATION_DENIED", null)]
        [InlineData(403, "AUTHENTICATION_DENIED", null)]
        [InlineData(200, "AUTHENTICATION_DENIED", null)]
        [InlineData(403, null, "CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp")]
        public void CaptchaIsRecognisedByEitherHeader(int status, string seraph, string deniedReason)
        {
            var headers = seraph != null
                ? new[] { ("X-Seraph-LoginReason", seraph) }
                : new[] { ("X-Authentication-Denied-Reason", deniedReason) };
            var error = Assert.IsType<JiraAuthenticationException>(
                JiraErrorFactory.Create(Response(status, "{\"errorMessages\":[\"Login denied\"]}", headers: headers), sentCredentials: true));
            Assert.Equal(JiraErrorId.CaptchaRequired, error.ErrorId);
            Assert.Contains("browser", error.RecommendedAction);
        }

        [Fact]
        public void CloudPasswordIsApiTokenRequired()
        {
            const string body = "Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/";
            var error = Assert.IsType<JiraAuthenticationException>(
                JiraErrorFactory.Create(Response(401, body, contentType: "text/plain"), sentCredentials: true));
            Assert.Equal(JiraErrorId.ApiTokenRequired, error.ErrorId);
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
            Assert.Contains("deprecated", Assert.Single(error.ErrorMessages));
            Assert.Contains("https://id.atlassian.com/manage-profile/security/api-tokens", error.RecommendedAction);
        }

        [Theory]
        [InlineData("{\"errorMessages\":[\"You are not authenticated. Authentication required to perform this operation.\"],\"errors\":{}}", "application/json")]
        [InlineData("{\"message\":\"Client must be authenticated to access this resource.\",\"status-code\":401}", "application/json")]
        [InlineData("<html><body>Unauthorized (401)</body></html>", "text/html")]
        public void Other401BodiesAreAuthenticationFailed(string body, string contentType)
        {
            var error = Assert.IsType<JiraAuthenticationException>(
                JiraErrorFactory.Create(Response(401, body, contentType), sentCredentials: true));
            Assert.Equal(JiraErrorId.AuthenticationFailed, error.ErrorId);
            Assert.Equal(JiraErrorKind.Authentication, error.Kind);
            if (contentType == "application/json")
                Assert.Contains("authenticated", Assert.Single(error.ErrorMessages));
        }

        [Fact]
        public void DataCenterBasicDisabledIsBasicAuthDisabled()
        {
            var error = Assert.IsType<JiraAuthenticationException>(JiraErrorFactory.Create(
                Response(403, "{\"message\":\"Basic Authentication has been disabled on this instance.\"}",
                    url: "https://jira.example.com/rest/api/2/serverInfo"), sentCredentials: true));
            Assert.Equal(JiraErrorId.BasicAuthDisabled, error.ErrorId);
            Assert.Contains("-PersonalAccessToken", error.RecommendedAction);
        }

        [Fact]
        public void Plain403IsPermissionDeniedWithJirasMessage()
        {
            var error = Assert.IsType<JiraPermissionException>(JiraErrorFactory.Create(
                Response(403, "{\"errorMessages\":[\"You do not have permission to administer this project.\"],\"errors\":{}}"), sentCredentials: true));
            Assert.Equal(JiraErrorId.PermissionDenied, error.ErrorId);
            Assert.Equal(JiraErrorKind.PermissionDenied, error.Kind);
            Assert.Equal("You do not have permission to administer this project.", Assert.Single(error.ErrorMessages));
            Assert.Contains("You do not have permission to administer this project.", error.Message);
        }

        [Fact]
        public void NotFoundSurfacesErrorMessagesAndFieldErrors()
        {
            var error = Assert.IsType<JiraNotFoundException>(JiraErrorFactory.Create(
                Response(404, "{\"errorMessages\":[\"No project could be found with key 'NOPE'.\"],\"errors\":{\"projectKey\":\"unknown\"}}",
                    url: "https://example.atlassian.net/rest/api/3/project/NOPE"), sentCredentials: true));
            Assert.Equal(JiraErrorId.NotFound, error.ErrorId);
            Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
            Assert.Equal("No project could be found with key 'NOPE'.", Assert.Single(error.ErrorMessages));
            Assert.Equal("unknown", error.Errors["projectKey"]);
            Assert.Contains("No project could be found with key 'NOPE'.", error.Message);
            Assert.Equal("https://example.atlassian.net/rest/api/3/project/NOPE", error.Target);
        }

        [Fact]
        public void BadRequestCarriesFieldErrors()
        {
            var error = Assert.IsType<JiraApiException>(JiraErrorFactory.Create(
                Response(400, "{\"errorMessages\":[],\"errors\":{\"permissions\":\"The permissions query parameter is required.\"}}"), sentCredentials: true));
            Assert.Equal(JiraErrorId.BadRequest, error.ErrorId);
            Assert.Equal(JiraErrorKind.InvalidArgument, error.Kind);
            Assert.Equal("The permissions query parameter is required.", error.Errors["permissions"]);
            Assert.Contains("permissions: The permissions query parameter is required.", error.Message);
        }

        [Theory]
        [InlineData(429, JiraErrorId.RateLimited, JiraErrorKind.LimitsExceeded)]
        [InlineData(503, JiraErrorId.ServiceUnavailable, JiraErrorKind.ResourceUnavailable)]
        public void RateLimitAndUnavailableAreRateLimitExceptions(int status, string errorId, JiraErrorKind kind)
        {
            var error = Assert.IsType<JiraRateLimitException>(JiraErrorFactory.Create(
                Response(status, "{\"errorMessages\":[\"Rate limit exceeded.\"]}", headers: ("Retry-After", "7")), sentCredentials: true));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(kind, error.Kind);
            Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
            Assert.Contains("7 s", error.Message);
        }

        [Fact]
        public void HtmlSuccessIsHtmlLoginPage()
        {
            var error = Assert.IsType<JiraProtocolException>(JiraErrorFactory.Create(
                Response(200, "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form></form></body></html>", "text/html; charset=utf-8"),
                sentCredentials: true));
            Assert.Equal(JiraErrorId.HtmlLoginPage, error.ErrorId);
            Assert.Equal(JiraErrorKind.Protocol, error.Kind);
        }

        [Fact]
        public void HtmlRedirectOrForbiddenIsHtmlLoginPage()
        {
            var error = Assert.IsType<JiraProtocolException>(JiraErrorFactory.Create(
                Response(302, "<html><body>Moved</body></html>", "text/html"), sentCredentials: true));
            Assert.Equal(JiraErrorId.HtmlLoginPage, error.ErrorId);
        }

        [Fact]
        public void ServerErrorsAndOddStatusesAreMapped()
        {
            var server = Assert.IsType<JiraApiException>(JiraErrorFactory.Create(Response(500, "{\"errorMessages\":[\"Internal server error\"]}"), true));
            Assert.Equal(JiraErrorId.ServerError, server.ErrorId);
            Assert.Equal("Internal server error", Assert.Single(server.ErrorMessages));

            var proxy = Assert.IsType<JiraApiException>(JiraErrorFactory.Create(Response(407, string.Empty, contentType: null), true));
            Assert.Equal(JiraErrorId.UnexpectedStatus, proxy.ErrorId);
            Assert.Contains("-ProxyCredential", proxy.RecommendedAction);
        }

        [Fact]
        public void ErrorMessagesAreRedacted()
        {
            var error = Assert.IsType<JiraApiException>(JiraErrorFactory.Create(
                Response(400, "{\"errorMessages\":[\"Bad header Authorization: Bearer NjQ4MzE-emu-pat-admin-R8sK2wQ5vX\"]}"), true));
            Assert.DoesNotContain("R8sK2wQ5vX", error.Message);
            Assert.DoesNotContain("R8sK2wQ5vX", Assert.Single(error.ErrorMessages));
        }

        [Fact]
        public void InvalidJsonOnSuccessIsInvalidJsonResponse()
        {
            var response = Response(200, "{\"values\":[{\"key\":\"DEV\"", url: "https://example.atlassian.net/rest/api/3/project/search");
            Assert.Null(JiraErrorFactory.Create(response, true));
            var error = Assert.IsType<JiraProtocolException>(Assert.ThrowsAny<JiraException>(() => JiraClient.ReadTree(response)));
            Assert.Equal(JiraErrorId.InvalidJsonResponse, error.ErrorId);
            Assert.Equal("https://example.atlassian.net/rest/api/3/project/search", error.Target);
            var typed = Assert.ThrowsAny<JiraException>(() => JiraClient.ReadJson<System.Collections.Generic.Dictionary<string, object>>(response));
            Assert.Equal(JiraErrorId.InvalidJsonResponse, typed.ErrorId);
        }
    }
}

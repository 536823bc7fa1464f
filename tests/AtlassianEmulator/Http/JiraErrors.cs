namespace AtlassianEmulator;

/// <summary>Jira's error responses: <c>{"errorMessages":[...],"errors":{}}</c> and the few that differ.</summary>
internal static class JiraErrors
{
    public const string NotAuthenticated = "You are not authenticated. Authentication required to perform this operation.";
    public const string NoProjectsMatch = "No projects matching the search criteria were found.";
    public const string IssueNotFound = "Issue does not exist or you do not have permission to see it.";
    public const string CaptchaRequired =
        "CAPTCHA_CHALLENGE: Too many failed login attempts. A CAPTCHA is required: log in to Jira in a browser and answer the CAPTCHA, then try again.";

    public const string BasicAuthDisabled = "Basic Authentication has been disabled on this instance.";

    public const string PasswordDeprecated =
        "Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/";

    public static IResult Error(int statusCode, params string[] messages) =>
        JsonResult.Of(new ErrorCollectionDto { ErrorMessages = messages }, EmulatorJson.Wire.ErrorCollectionDto, statusCode);

    /// <summary>An error with field-level messages (Jira's <c>errors</c> object).</summary>
    public static IResult FieldError(int statusCode, string field, string message) =>
        JsonResult.Of(
            new ErrorCollectionDto { ErrorMessages = [], Errors = new Dictionary<string, string> { [field] = message } },
            EmulatorJson.Wire.ErrorCollectionDto,
            statusCode);

    /// <summary>An error with several field-level messages.</summary>
    public static IResult FieldErrors(int statusCode, IReadOnlyDictionary<string, string> errors) =>
        JsonResult.Of(new ErrorCollectionDto { ErrorMessages = [], Errors = errors }, EmulatorJson.Wire.ErrorCollectionDto, statusCode);

    public static IResult ProjectNotFound(string idOrKey) =>
        Error(StatusCodes.Status404NotFound, $"No project could be found with key '{idOrKey}'.");

    /// <summary>Data Center's answer to Basic credentials when basic authentication is switched off.</summary>
    public static IResult BasicAuthenticationDisabled() =>
        JsonResult.Of(new MessageDto { Message = BasicAuthDisabled }, EmulatorJson.Wire.MessageDto, StatusCodes.Status403Forbidden);

    /// <summary>Cloud's plain-text refusal of an account password where an API token belongs.</summary>
    public static IResult PasswordInsteadOfToken() =>
        Results.Text(PasswordDeprecated, "text/plain", System.Text.Encoding.UTF8, StatusCodes.Status401Unauthorized);

    /// <summary>The message of a status answered by a fault.</summary>
    public static string MessageFor(int statusCode) => statusCode switch
    {
        401 => NotAuthenticated,
        403 => "You do not have permission to perform this operation.",
        404 => "The requested resource could not be found.",
        429 => "Rate limit exceeded.",
        500 => "Internal server error.",
        503 => "Service unavailable: the Jira site is temporarily unable to handle the request.",
        _ => $"The request failed with status {statusCode} ({Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(statusCode)}).",
    };
}

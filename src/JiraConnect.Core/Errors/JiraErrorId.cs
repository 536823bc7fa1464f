namespace JiraConnect
{
    /// <summary>Stable error identifiers. They form the first part of FullyQualifiedErrorId and never change.</summary>
    public static class JiraErrorId
    {
        public const string AuthenticatedAsAnonymous = nameof(AuthenticatedAsAnonymous);
        public const string AuthenticationFailed = nameof(AuthenticationFailed);
        public const string CaptchaRequired = nameof(CaptchaRequired);
        public const string BasicAuthDisabled = nameof(BasicAuthDisabled);
        public const string ApiTokenRequired = nameof(ApiTokenRequired);
        public const string CredentialEmpty = nameof(CredentialEmpty);
        public const string HtmlLoginPage = nameof(HtmlLoginPage);
        public const string PermissionDenied = nameof(PermissionDenied);
        public const string NotFound = nameof(NotFound);
        public const string BadRequest = nameof(BadRequest);
        public const string RateLimited = nameof(RateLimited);
        public const string ServiceUnavailable = nameof(ServiceUnavailable);
        public const string ServerError = nameof(ServerError);
        public const string UnexpectedStatus = nameof(UnexpectedStatus);
        public const string RequestTimeout = nameof(RequestTimeout);
        public const string ConnectionFailed = nameof(ConnectionFailed);
        public const string InvalidJsonResponse = nameof(InvalidJsonResponse);
        public const string UnencryptedAuthenticationRefused = nameof(UnencryptedAuthenticationRefused);
        public const string RedirectRefused = nameof(RedirectRefused);
        public const string InvalidUrl = nameof(InvalidUrl);
        public const string NotConnected = nameof(NotConnected);
        public const string SessionNotFound = nameof(SessionNotFound);
        public const string ProjectNotFound = nameof(ProjectNotFound);
        public const string InvalidBody = nameof(InvalidBody);
        public const string InvalidArgument = nameof(InvalidArgument);
        public const string ParameterNotSupported = nameof(ParameterNotSupported);
        public const string OperationStopped = nameof(OperationStopped);

        // OAuth 2.0 (3LO) consent and tokens.
        public const string OAuthAccessDenied = nameof(OAuthAccessDenied);
        public const string OAuthAuthorizationFailed = nameof(OAuthAuthorizationFailed);
        public const string OAuthStateMismatch = nameof(OAuthStateMismatch);
        public const string OAuthConsentTimeout = nameof(OAuthConsentTimeout);
        public const string OAuthInteractionRequired = nameof(OAuthInteractionRequired);
        public const string OAuthInvalidAuthorizationResponse = nameof(OAuthInvalidAuthorizationResponse);
        public const string OAuthAuthorizationCodeInvalid = nameof(OAuthAuthorizationCodeInvalid);
        public const string OAuthClientAuthenticationFailed = nameof(OAuthClientAuthenticationFailed);
        public const string OAuthConsentRequired = nameof(OAuthConsentRequired);
        public const string OAuthRefreshUnavailable = nameof(OAuthRefreshUnavailable);
        public const string OAuthTokenEndpointError = nameof(OAuthTokenEndpointError);
        public const string OAuthScopeMissing = nameof(OAuthScopeMissing);

        // Service accounts: client credentials, scoped API tokens, credential expiry.
        public const string ClientCredentialRejected = nameof(ClientCredentialRejected);
        public const string GatewayScopeMissing = nameof(GatewayScopeMissing);
        public const string ServiceAccountEndpointRefused = nameof(ServiceAccountEndpointRefused);
        public const string AdminApiKeyRejected = nameof(AdminApiKeyRejected);
        public const string AdminApiKeyScopeMissing = nameof(AdminApiKeyScopeMissing);
        public const string OrganizationNotFound = nameof(OrganizationNotFound);
        public const string InvalidRedirectUri = nameof(InvalidRedirectUri);
        public const string LoopbackPortInUse = nameof(LoopbackPortInUse);
        public const string BrowserLaunchFailed = nameof(BrowserLaunchFailed);
        public const string AccessibleResourceNotFound = nameof(AccessibleResourceNotFound);
        public const string AccessibleResourceAmbiguous = nameof(AccessibleResourceAmbiguous);
        public const string TokenCacheInsecure = nameof(TokenCacheInsecure);
        public const string TokenCacheUnreadable = nameof(TokenCacheUnreadable);
        public const string TokenCacheClientMismatch = nameof(TokenCacheClientMismatch);
        public const string TokenCacheEnvironmentMismatch = nameof(TokenCacheEnvironmentMismatch);
        public const string SmartValueSyntaxError = nameof(SmartValueSyntaxError);
        public const string SmartValueUnknownPath = nameof(SmartValueUnknownPath);
        public const string InvalidIssueInput = nameof(InvalidIssueInput);
        public const string InvalidWebhookHeader = nameof(InvalidWebhookHeader);
        public const string ListenerStartFailed = nameof(ListenerStartFailed);
        public const string ListenerNotRunning = nameof(ListenerNotRunning);
        public const string WebhookReceiveTimeout = nameof(WebhookReceiveTimeout);

        // Project access audit, project roles and the environment suite.
        public const string RoleNotFound = nameof(RoleNotFound);
        public const string RoleAccessDenied = nameof(RoleAccessDenied);
        public const string ActorNotFound = nameof(ActorNotFound);
        public const string AccountNotFound = nameof(AccountNotFound);
        public const string EnvironmentSuiteNotFound = nameof(EnvironmentSuiteNotFound);

        // Automation rules (Automation Rule Management API, Jira Cloud).
        public const string AutomationApiTokenRequired = nameof(AutomationApiTokenRequired);
        public const string AutomationRuleApiUnavailable = nameof(AutomationRuleApiUnavailable);
        public const string AutomationAuthenticationFailed = nameof(AutomationAuthenticationFailed);
        public const string AutomationPermissionDenied = nameof(AutomationPermissionDenied);
        public const string AutomationRuleNotFound = nameof(AutomationRuleNotFound);
        public const string AutomationRuleInvalid = nameof(AutomationRuleInvalid);
        public const string AutomationCloudIdNotFound = nameof(AutomationCloudIdNotFound);
        public const string AutomationRuleDeleteRefused = nameof(AutomationRuleDeleteRefused);

        // Prompts and credentials a new user trips over.
        public const string ConfirmationRequired = nameof(ConfirmationRequired);
        public const string PersonalAccessTokenOnCloud = nameof(PersonalAccessTokenOnCloud);
    }

    /// <summary>Kinds of failure, mapped one-to-one onto PowerShell's ErrorCategory by the cmdlet layer.</summary>
    public enum JiraErrorKind
    {
        Unknown,
        Authentication,
        PermissionDenied,
        NotFound,
        InvalidArgument,
        LimitsExceeded,
        Connection,
        Timeout,
        Protocol,
        Security,
        ResourceUnavailable,
        InvalidOperation,
        OperationStopped,
    }
}

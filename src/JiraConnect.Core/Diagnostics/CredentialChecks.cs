using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Json;
using JiraConnect.Services;

namespace JiraConnect.Diagnostics
{
    /// <summary>Credentials: GET myself through the session (or connect); then whether the account is active and of the expected type.</summary>
    internal sealed class CredentialChecks : ICheckFamily
    {
        public string Activity => "Checking the credentials and the account";

        public IReadOnlyList<string> Names { get; } = new[] { JiraConnectionCheckNames.Credentials, JiraConnectionCheckNames.Account };

        public async Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct)
        {
            var credentials = await Check.TimedAsync(() => CredentialsAsync(context, ct)).ConfigureAwait(false);
            return new[] { credentials, Account(context) };
        }

        private static async Task<JiraConnectionCheck> CredentialsAsync(DiagnosticsContext context, CancellationToken ct)
        {
            const string name = JiraConnectionCheckNames.Credentials;
            try
            {
                if (context.Session == null)
                {
                    context.Opened(await JiraConnector.ConnectAsync(context.Options.Connection, ct).ConfigureAwait(false));
                    context.User = context.Session.User;
                }
                else
                {
                    var me = await context.Session.Client.GetAsync<UserDto>(context.Session.Client.Resolve("myself"), ct).ConfigureAwait(false);
                    context.User = JiraConnector.ToUser(me);
                }
                context.CredentialsOk = true;
                return Check.Pass(name, $"Jira accepted the {Describe(context.Session.Authentication)} of {context.User} (GET myself, not anonymous, no CAPTCHA).", context.Site);
            }
            catch (JiraException e) when (e.Kind != JiraErrorKind.OperationStopped)
            {
                return Check.Fail(name, $"{e.Message} ({e.ErrorId})", e.RecommendedAction, context.Site);
            }
        }

        /// <summary>How the credential is named in a sentence: "API token", "personal access token", ….</summary>
        public static string Describe(JiraAuthenticationType type)
        {
            switch (type)
            {
                case JiraAuthenticationType.ApiToken: return "API token";
                case JiraAuthenticationType.ScopedApiToken: return "scoped API token";
                case JiraAuthenticationType.Password: return "password";
                case JiraAuthenticationType.PersonalAccessToken: return "personal access token";
                case JiraAuthenticationType.ClientCredentials: return "OAuth 2.0 client credentials";
                default: return "OAuth 2.0 access token";
            }
        }

        private static JiraConnectionCheck Account(DiagnosticsContext context)
        {
            const string name = JiraConnectionCheckNames.Account;
            var user = context.User;
            string site = context.Site;
            if (!context.CredentialsOk) return context.Skipped(name, "Needs valid credentials.");
            if (!user.Active)
            {
                return Check.Fail(name, $"The account {user} is deactivated.",
                    context.Session.IsCloud ? "Reactivate the account in admin.atlassian.com (Directory → Users)." : "Reactivate the user in Jira administration (User management).", site);
            }
            if (string.IsNullOrEmpty(user.AccountType))
                return Check.Pass(name, $"{user} ({user.Id}) is active.", site);
            string expected = context.Options.ExpectedAccountType;
            if (!string.IsNullOrEmpty(expected) && !string.Equals(expected, user.AccountType, StringComparison.OrdinalIgnoreCase))
            {
                return Check.Fail(name, $"{user} ({user.Id}) is active but is an '{user.AccountType}' account, not '{expected}'.",
                    string.Equals(user.AccountType, "customer", StringComparison.OrdinalIgnoreCase)
                        ? "Service Management customer accounts cannot work in projects: use a licensed Atlassian account for the integration."
                        : $"Connect with the {expected} account the integration is meant to use, or pass -ExpectedAccountType {user.AccountType} if this is intended.", site);
            }
            return Check.Pass(name, $"{user} ({user.Id}) is an active '{user.AccountType}' account.", site);
        }
    }
}

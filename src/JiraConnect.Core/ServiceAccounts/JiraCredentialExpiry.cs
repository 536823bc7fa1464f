using System;
using System.Globalization;

namespace JiraConnect
{
    /// <summary>
    /// What a session knows of when its credential stops working, and the CredentialExpiry check of
    /// Test-JiraConnection: Warn within the warning period, Fail once expired, each with what to do.
    /// </summary>
    public static class JiraCredentialExpiry
    {
        /// <summary>The check's name in Test-JiraConnection.</summary>
        public const string CheckName = "CredentialExpiry";

        /// <summary>The default warning period.</summary>
        public static readonly TimeSpan DefaultWarningPeriod = TimeSpan.FromDays(30);

        /// <summary>An Atlassian refresh token unused this long expires (90 days).</summary>
        public static readonly TimeSpan RefreshTokenInactivity = TimeSpan.FromDays(90);

        /// <summary>
        /// The earliest known end of the session's credential: the date given with -TokenExpiresAt; for OAuth also
        /// the access token (no refresh token) or the refresh token's inactivity expiry. Client-credential access
        /// tokens renew themselves, so only the secret's stated expiry counts for them. Null when nothing is known.
        /// </summary>
        public static DateTimeOffset? ExpiresAt(JiraSession session)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            DateTimeOffset? known = null;
            if (session.OAuthToken != null)
                known = session.OAuthToken.CanRefresh ? session.RefreshTokenExpiresAt : session.OAuthToken.ExpiresAt;
            if (session.StatedExpiresAt is DateTimeOffset stated && (known == null || stated < known)) known = stated;
            return known;
        }

        /// <summary>The CredentialExpiry check for a session.</summary>
        public static JiraConnectionCheck Check(JiraSession session, TimeSpan warningPeriod, DateTimeOffset now)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            string target = session.SiteUrl?.GetLeftPart(UriPartial.Authority);
            string what = Describe(session);
            var expires = ExpiresAt(session);
            if (expires == null)
            {
                return new JiraConnectionCheck(CheckName, JiraCheckStatus.Pass, session.Authentication == JiraAuthenticationType.ClientCredentials
                    ? $"The {what}'s access tokens renew themselves (each lasts {Lifetime(session)}, no refresh token); the client secret's expiry is not known (pass -TokenExpiresAt to Connect-JiraSite to have it checked)."
                    : $"The {what}'s expiry is not known: pass -TokenExpiresAt to Connect-JiraSite, or read it with Get-JiraApiTokenExpiry (organization admins), to have it checked.",
                    target: target);
            }
            string when = expires.Value.ToLocalTime().ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
            var left = expires.Value - now;
            if (left <= TimeSpan.Zero)
            {
                return new JiraConnectionCheck(CheckName, JiraCheckStatus.Fail, $"The {what} expired at {when}.", Remedy(session), target);
            }
            if (left <= warningPeriod)
            {
                return new JiraConnectionCheck(CheckName, JiraCheckStatus.Warn, $"The {what} expires at {when}, in {Span(left)}.", Remedy(session), target);
            }
            return new JiraConnectionCheck(CheckName, JiraCheckStatus.Pass, $"The {what} expires at {when}, in {Span(left)}.", target: target);
        }

        private static string Describe(JiraSession session)
        {
            switch (session.Authentication)
            {
                case JiraAuthenticationType.ApiToken: return "API token";
                case JiraAuthenticationType.ScopedApiToken: return "scoped API token";
                case JiraAuthenticationType.PersonalAccessToken: return "personal access token";
                case JiraAuthenticationType.Password: return "password";
                case JiraAuthenticationType.ClientCredentials: return session.StatedExpiresAt != null ? "client secret" : "client credential";
                case JiraAuthenticationType.OAuth:
                    if (session.StatedExpiresAt != null && session.StatedExpiresAt == ExpiresAt(session)) return "OAuth grant";
                    return session.OAuthToken != null && session.OAuthToken.CanRefresh ? "OAuth refresh token (if left unused)" : "OAuth access token, which cannot be refreshed,";
                default: return "credential";
            }
        }

        private static string Remedy(JiraSession session)
        {
            switch (session.Authentication)
            {
                case JiraAuthenticationType.ApiToken:
                    return "Create a new API token (https://id.atlassian.com/manage-profile/security/api-tokens; at most 365 days), put it wherever the old one is used (connectors, automation rules), and connect with it and the new -TokenExpiresAt. Consider a service account with OAuth 2.0 client credentials instead.";
                case JiraAuthenticationType.ScopedApiToken:
                    return "Create a new scoped API token (for a service account: Atlassian Administration, Directory, Service accounts), put it wherever the old one is used, and connect with it and the new -TokenExpiresAt.";
                case JiraAuthenticationType.ClientCredentials:
                    return "Create a new OAuth 2.0 credential for the service account (Atlassian Administration, Directory, Service accounts; on Data Center, Jira administration, Service accounts), update the connector's client secret, and connect with the new -ClientCredential.";
                case JiraAuthenticationType.OAuth:
                    return "Run Invoke-JiraOAuthConsent again (with offline_access, so that the token refreshes itself) and connect with the new token.";
                default:
                    return "Create a new personal access token (or change the password), update every integration that uses it, and connect again.";
            }
        }

        private static string Lifetime(JiraSession session)
        {
            var lifetime = session.ClientCredential?.TokenLifetime;
            return lifetime == null ? "about an hour" : Span(lifetime.Value);
        }

        private static string Span(TimeSpan span)
        {
            if (span.TotalDays >= 2) return ((int)Math.Ceiling(span.TotalDays)).ToString(CultureInfo.InvariantCulture) + " days";
            if (span.TotalHours >= 2) return ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " hours";
            return Math.Max(1, (int)Math.Round(span.TotalMinutes)).ToString(CultureInfo.InvariantCulture) + " minutes";
        }
    }
}

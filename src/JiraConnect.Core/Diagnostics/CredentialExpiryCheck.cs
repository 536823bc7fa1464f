using System;

namespace JiraConnect.Diagnostics
{
    /// <summary>The CredentialExpiry check of Test-JiraConnection (the rule itself is <see cref="JiraCredentialExpiry"/>).</summary>
    internal static class CredentialExpiryCheck
    {
        public static JiraConnectionCheck For(JiraSession session, bool credentialsOk, TimeSpan warningPeriod)
        {
            if (session == null || !credentialsOk)
                return new JiraConnectionCheck(JiraConnectionCheckNames.CredentialExpiry, JiraCheckStatus.Skipped, "Not checked: the credentials were not accepted.");
            return JiraCredentialExpiry.Check(session, warningPeriod, DateTimeOffset.UtcNow);
        }
    }
}

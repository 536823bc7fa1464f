using System.Management.Automation;
using System.Security;
using JiraConnect.Security;

namespace JiraConnect.Commands
{
    /// <summary>How the cmdlets that take secrets read -Credential, -Token and -PersonalAccessToken.</summary>
    internal static class CredentialParameters
    {
        /// <summary>The token of -Credential (its password) or -Token, null when empty; terminating when both are given.</summary>
        public static SecureString ChooseToken(Cmdlet cmdlet, PSCredential credential, SecureString token)
        {
            if (credential != null && token != null)
            {
                cmdlet.ThrowTerminatingError(ErrorRecordFactory.Create(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                    "-Credential and -Token cannot be used together.", "Token", "Pass the token once: as the password of -Credential, or as -Token."));
            }
            return NullIfEmpty(credential?.Password ?? token);
        }

        /// <summary>An empty SecureString counts as not given.</summary>
        public static SecureString NullIfEmpty(SecureString secret) => secret != null && secret.Length > 0 ? secret : null;

        /// <summary>The user name of a credential, without the leading backslash Get-Credential adds to a domain-less name.</summary>
        public static string UserNameOf(PSCredential credential) => credential.UserName.TrimStart('\\');

        /// <summary>Basic with the credential, or Bearer with the personal access token.</summary>
        public static JiraAuthentication CreateAuthentication(PSCredential credential, SecureString personalAccessToken) =>
            personalAccessToken != null
                ? JiraAuthentication.Bearer(personalAccessToken)
                : JiraAuthentication.Basic(UserNameOf(credential), credential.Password);
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Diagnostics
{
    /// <summary>The CredentialExpiry check of Test-JiraConnection (the rule itself is <see cref="JiraCredentialExpiry"/>).</summary>
    internal sealed class CredentialExpiryCheck : ICheckFamily
    {
        public string Activity => "Checking when the credential expires";

        public IReadOnlyList<string> Names { get; } = new[] { JiraConnectionCheckNames.CredentialExpiry };

        public Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct)
        {
            IReadOnlyList<JiraConnectionCheck> checks = new[]
            {
                context.Session == null || !context.CredentialsOk
                    ? context.Skipped(JiraConnectionCheckNames.CredentialExpiry, "Not checked: the credentials were not accepted.")
                    : JiraCredentialExpiry.Check(context.Session, context.Options.CredentialExpiryWarning, DateTimeOffset.UtcNow),
            };
            return Task.FromResult(checks);
        }
    }
}

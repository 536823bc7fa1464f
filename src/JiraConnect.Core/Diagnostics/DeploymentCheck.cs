using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Diagnostics
{
    /// <summary>The deployment, version and REST API the session found.</summary>
    internal sealed class DeploymentCheck : ICheckFamily
    {
        public string Activity => "Reading the deployment";

        public IReadOnlyList<string> Names { get; } = new[] { JiraConnectionCheckNames.Deployment };

        public Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct)
        {
            const string name = JiraConnectionCheckNames.Deployment;
            var session = context.Session;
            IReadOnlyList<JiraConnectionCheck> checks = new[]
            {
                session == null
                    ? context.Skipped(name, "Needs a session: the connection failed.")
                    : Check.Pass(name, $"{session.DeploymentType} {session.Version}, REST API v{session.RestApiVersion} at {session.ApiBaseUrl}.", context.Site),
            };
            return Task.FromResult(checks);
        }
    }
}

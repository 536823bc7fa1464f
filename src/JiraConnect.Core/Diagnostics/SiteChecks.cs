using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Diagnostics
{
    /// <summary>DNS resolution and the TLS handshake, straight to the site (see <see cref="SiteProbe"/>).</summary>
    internal sealed class SiteChecks : ICheckFamily
    {
        public string Activity => "Resolving and reaching the site";

        public IReadOnlyList<string> Names { get; } = new[] { JiraConnectionCheckNames.Dns, JiraConnectionCheckNames.Tls };

        public async Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct)
        {
            var options = context.Options;
            bool skip = context.Session?.Client.SkipCertificateCheck ?? options.Connection.SkipCertificateCheck;
            return new[]
            {
                await Check.TimedAsync(() => SiteProbe.CheckDnsAsync(context.SiteUrl, options.NetworkTimeout, ct)).ConfigureAwait(false),
                await Check.TimedAsync(() => SiteProbe.CheckTlsAsync(context.SiteUrl, skip, options.NetworkTimeout, ct)).ConfigureAwait(false),
            };
        }
    }
}

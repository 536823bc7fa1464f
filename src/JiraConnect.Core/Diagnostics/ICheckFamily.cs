using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConnect.Diagnostics
{
    /// <summary>
    /// One group of Test-JiraConnection checks, run as one step. A new family is a class that implements this and
    /// one line in <see cref="JiraConnectionDiagnostics.Families"/>.
    /// </summary>
    internal interface ICheckFamily
    {
        /// <summary>What the step does, for a progress bar.</summary>
        string Activity { get; }

        /// <summary>The names of the checks it reports, in the order it reports them.</summary>
        IReadOnlyList<string> Names { get; }

        /// <summary>One check per name; later families see what earlier ones left in the context.</summary>
        Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Services;

namespace JiraConnect.Diagnostics
{
    /// <summary>Runs the project access audit to the end and summarises it in one check.</summary>
    internal sealed class ProjectAccessCheck : ICheckFamily
    {
        private const string Name = JiraConnectionCheckNames.ProjectAccess;
        /// <summary>Projects named in the detail (and in the remedy's -ProjectKey) at the most.</summary>
        private const int Shown = 10;

        public string Activity => "Auditing project access";

        public IReadOnlyList<string> Names { get; } = new[] { Name };

        public async Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct)
        {
            var options = context.Options;
            string scope = options.Projects?.Count > 0 ? string.Join(",", options.Projects) : "every visible project";
            if (options.SkipProjectAccess)
                return new[] { Check.NotApplicable(Name, "Skipped on request (-SkipProjectAccess).", scope) };
            if (!context.CredentialsOk) return new[] { context.Skipped(Name, "Needs valid credentials.", scope) };
            return new[] { await Check.TimedAsync(() => AuditAsync(context, scope, ct)).ConfigureAwait(false) };
        }

        private static async Task<JiraConnectionCheck> AuditAsync(DiagnosticsContext context, string scope, CancellationToken ct)
        {
            var options = context.Options;
            var results = new List<JiraProjectAccess>();
            var errors = new List<JiraAccessAuditOutcome>();
            using (var audit = JiraProjectAccessAudit.Start(context.Session, options.Audit, ct))
            {
                if (options.Projects?.Count > 0)
                {
                    audit.AddKeys(options.Projects);
                    audit.CompleteAdding();
                }
                else
                {
                    audit.AddAllProjects();
                }
                try
                {
                    await audit.Completion.ConfigureAwait(false);
                    while (audit.TryTake(out var outcome))
                    {
                        if (outcome.Result != null) results.Add(outcome.Result);
                        else errors.Add(outcome);
                    }
                    return Summarise(context, results, errors, scope);
                }
                catch (JiraException e)
                {
                    return Check.Fail(Name, $"The audit stopped: {e.Message} ({e.ErrorId})", e.RecommendedAction, scope);
                }
            }
        }

        private static JiraConnectionCheck Summarise(DiagnosticsContext context, List<JiraProjectAccess> results, List<JiraAccessAuditOutcome> errors, string scope)
        {
            var audit = context.Options.Audit;
            int total = results.Count + errors.Count;
            if (total == 0)
            {
                return Check.Fail(Name, $"{context.User} can see no project.",
                    "Add the account to the projects the integration works in (Project settings → People, role Administrators).", scope);
            }
            var blocked = results.Where(r => !r.Ready).OrderBy(r => r.ProjectKey, StringComparer.Ordinal).ToList();
            if (blocked.Count == 0 && errors.Count == 0)
            {
                string role = audit.RequireRole ? $" and the {audit.Role} role" : string.Empty;
                return Check.Pass(Name,
                    $"All {total} project{(total == 1 ? " is" : "s are")} ready: {context.User} holds the {results[0].Required.Count} required permissions{role} in each.", scope);
            }

            var items = blocked.Select(r => $"{r.ProjectKey} ({(r.Missing.Count > 0 ? "lacks " + string.Join(", ", r.Missing) : "role membership unknown")})")
                .Concat(errors.Select(e => $"{e.Target} ({e.Error.ErrorId})")).ToList();
            string list = string.Join("; ", items.Take(Shown)) + (items.Count > Shown ? $"; and {items.Count - Shown} more" : string.Empty);
            bool onlyUnknown = errors.Count == 0 && blocked.All(r => r.Missing.Count == 0);
            var keys = blocked.Select(r => r.ProjectKey).Concat(errors.Select(e => e.Target)).ToList();
            string account = blocked.FirstOrDefault()?.AccountId;
            var review = new CommandLine(
                CommandStage.Run("Test-JiraProjectAccess").With("ProjectKey", keys.Count <= Shown ? keys.ToArray() : null).With("AccountId", audit.AccountId != null ? account : null),
                CommandStage.WhereNot(nameof(JiraProjectAccess.Ready)));
            var fix = review.Then(CommandStage.Run("Add-JiraProjectRoleActor"));
            string detail = $"{items.Count} of {total} projects {(items.Count == 1 ? "is" : "are")} not ready: {list}.";
            var check = onlyUnknown ? Check.Warn(Name, detail, null, scope) : Check.Fail(Name, detail, null, scope);
            check.RemedyPlan = new RemedyPlan("Review with: ", review, "; fix with: ", fix);
            return check;
        }
    }
}

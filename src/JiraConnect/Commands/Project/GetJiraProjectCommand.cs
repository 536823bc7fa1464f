using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    /// <summary>Lists the projects the session's account can see, streaming them page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "JiraProject", HelpUri = JiraHelp.Root + "Get-JiraProject.md", SupportsPaging = true)]
    [OutputType(typeof(JiraProject))]
    public sealed class GetJiraProjectCommand : JiraApiCmdlet
    {
        private const string Activity = "Listing Jira projects";

        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ProjectKey")]
        [ArgumentCompleter(typeof(ProjectKeyCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Key { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Query { get; set; }

        [Parameter]
        [ValidateSet("business", "software", "service_desk", "product_discovery", IgnoreCase = true)]
        public string[] Type { get; set; }

        [Parameter]
        [ValidateSet("live", "archived", "deleted", IgnoreCase = true)]
        public string[] Status { get; set; }

        /// <summary>Fills Lead: asks Jira to expand each project's lead (off by default, so that listing stays fast).</summary>
        [Parameter]
        public SwitchParameter IncludeLead { get; set; }

        private long _emitted;
        private bool _totalWritten;

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            if (Key == null)
            {
                List(session, null);
                return;
            }
            var keys = JiraProjectService.DistinctKeys(Key);
            for (int i = 0; i < keys.Count; i += JiraProjectService.MaxKeysPerRequest)
            {
                var chunk = keys.Skip(i).Take(JiraProjectService.MaxKeysPerRequest).ToList();
                var found = List(session, chunk);
                if (found == null) continue;
                foreach (var missing in chunk.Where(k => !found.Contains(k)))
                {
                    WriteError(ErrorRecordFactory.Create(JiraErrorId.ProjectNotFound, JiraErrorKind.NotFound,
                        $"No project with key '{missing}' is visible to {session.User} on {session.SiteUrl}.", missing,
                        "Check the key, and that the account has the Browse Projects permission in that project (add it to the project's Administrators role)."));
                }
            }
        }

        protected override void EndProcessing()
        {
            CompleteProgress(Activity);
        }

        /// <summary>Streams one listing; returns the keys seen, or null when the listing failed.</summary>
        private HashSet<string> List(JiraSession session, IReadOnlyList<string> keys)
        {
            var query = new JiraProjectQuery { Keys = keys, Query = Query, Types = Type, Statuses = Status, IncludeLead = IncludeLead };
            long skip = (long)Math.Min(PagingParameters.Skip, long.MaxValue);
            long first = (long)Math.Min(PagingParameters.First, long.MaxValue);
            if (keys != null) { skip = 0; first = long.MaxValue; }
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            JiraPageReader<JiraProject> reader = null;
            try
            {
                reader = JiraProjectService.GetProjects(session, query, skip, first, CancellationToken);
                JiraPage<JiraProject> page;
                while ((page = Await(_ => reader.NextAsync())) != null)
                {
                    if (PagingParameters.IncludeTotalCount && !_totalWritten)
                    {
                        _totalWritten = true;
                        WriteObject(page.Total.HasValue
                            ? PagingParameters.NewTotalCount((ulong)page.Total.Value, 1.0)
                            : PagingParameters.NewTotalCount(0, 0.0));
                    }
                    foreach (var project in page.Items)
                    {
                        seen.Add(project.Key);
                        WriteObject(project);
                    }
                    _emitted += page.Items.Count;
                    ReportProgress(page.Total, skip);
                }
                return seen;
            }
            catch (JiraException e) when (e.Kind == JiraErrorKind.InvalidArgument && e.ErrorId == JiraErrorId.ParameterNotSupported)
            {
                ThrowTerminating(e);
                return null;
            }
            catch (JiraException e)
            {
                WriteError(e, e.Target);
                return null;
            }
            finally
            {
                reader?.Dispose();
            }
        }

        private void ReportProgress(long? total, long skip)
        {
            var record = new ProgressRecord(ProgressId, Activity, total.HasValue
                ? $"{_emitted} of {Math.Max(0, total.Value - skip)} projects"
                : $"{_emitted} projects");
            if (total.HasValue && total.Value - skip > 0)
                record.PercentComplete = (int)Math.Min(100, _emitted * 100 / (total.Value - skip));
            WriteProgress(record);
        }
    }
}

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
                List(session);
                return;
            }
            var keys = JiraProjectService.DistinctKeys(Key);
            for (int i = 0; i < keys.Count; i += JiraProjectService.MaxKeysPerRequest)
                Resolve(session, keys.Skip(i).Take(JiraProjectService.MaxKeysPerRequest).ToList());
        }

        protected override void EndProcessing()
        {
            CompleteProgress(Activity);
        }

        /// <summary>Looks the keys up: the projects found, then a ProjectNotFound error for each key not found.</summary>
        private void Resolve(JiraSession session, IReadOnlyList<string> keys)
        {
            IReadOnlyList<JiraProject> found;
            IReadOnlyList<string> missing;
            try
            {
                (found, missing) = Await(ct => JiraProjectService.ResolveKeysAsync(session, keys, Filter(), ct));
            }
            catch (JiraException e)
            {
                Fail(e);
                return;
            }
            WriteTotal(found.Count);
            foreach (var project in found) WriteObject(project);
            _emitted += found.Count;
            ReportProgress(found.Count, 0);
            foreach (var key in missing) WriteError(JiraProjectService.ProjectNotFound(session, key), key);
        }

        /// <summary>Streams the listing page by page.</summary>
        private void List(JiraSession session)
        {
            long skip = (long)Math.Min(PagingParameters.Skip, long.MaxValue);
            long first = (long)Math.Min(PagingParameters.First, long.MaxValue);
            JiraPageReader<JiraProject> reader = null;
            try
            {
                reader = JiraProjectService.GetProjects(session, Filter(), skip, first, CancellationToken);
                JiraPage<JiraProject> page;
                while ((page = Await(_ => reader.NextAsync())) != null)
                {
                    WriteTotal(page.Total);
                    foreach (var project in page.Items) WriteObject(project);
                    _emitted += page.Items.Count;
                    ReportProgress(page.Total, skip);
                }
            }
            catch (JiraException e)
            {
                Fail(e);
            }
            finally
            {
                reader?.Dispose();
            }
        }

        private JiraProjectQuery Filter() => new JiraProjectQuery { Query = Query, Types = Type, Statuses = Status, IncludeLead = IncludeLead };

        /// <summary>-IncludeTotalCount: the total, once, before the first project.</summary>
        private void WriteTotal(long? total)
        {
            if (!PagingParameters.IncludeTotalCount || _totalWritten) return;
            _totalWritten = true;
            WriteObject(total.HasValue ? PagingParameters.NewTotalCount((ulong)total.Value, 1.0) : PagingParameters.NewTotalCount(0, 0.0));
        }

        /// <summary>A filter the deployment cannot apply stops the command; any other failure is this listing's error.</summary>
        private void Fail(JiraException e)
        {
            if (e.Kind == JiraErrorKind.InvalidArgument && e.ErrorId == JiraErrorId.ParameterNotSupported) ThrowTerminating(e);
            WriteError(e, e.Target);
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

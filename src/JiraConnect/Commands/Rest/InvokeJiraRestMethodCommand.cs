using System;
using System.Collections;
using System.Management.Automation;
using System.Net.Http;
using JiraConnect.Json;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    /// <summary>Calls any Jira REST endpoint through the session: same authentication, retries and redaction.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "JiraRestMethod", HelpUri = JiraHelp.Root + "Invoke-JiraRestMethod.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeJiraRestMethodCommand : JiraApiCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Uri", "Url")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        [Parameter]
        public IDictionary Query { get; set; }

        [Parameter]
        public object Body { get; set; }

        [Parameter]
        public SwitchParameter Paginate { get; set; }

        // Session, method and body are the same for every path piped in: worked out once.
        private JiraSession _session;
        private HttpMethod _method;
        private string _body;

        protected override void BeginProcessing()
        {
            _session = ResolveSession();
            _method = new HttpMethod(Method.ToUpperInvariant());
            _body = Guard(() => Body == null ? null : PSObjectConverter.ToJson(Body));
        }

        protected override void ProcessRecord()
        {
            var session = _session;
            var method = _method;
            string body = _body;
            Uri url = Guard(() => JiraRestService.Resolve(session, Path, Query));

            bool safe = method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options;
            if (!safe && !ShouldProcess(url.GetLeftPart(UriPartial.Path), method.Method)) return;

            try
            {
                if (Paginate)
                {
                    var pager = JiraRestService.Paginate(session, method, Path, Query, body, CancellationToken);
                    System.Collections.Generic.IReadOnlyList<object> items;
                    while ((items = Await(_ => pager.NextAsync())) != null)
                    {
                        foreach (var item in items) WriteObject(PSObjectConverter.ToPSObject(item));
                        WriteProgress(new ProgressRecord(ProgressId, "Invoke-JiraRestMethod", $"{pager.PagesRead} pages read"));
                    }
                    CompleteProgress("Invoke-JiraRestMethod");
                    return;
                }
                var result = Await(ct => JiraRestService.InvokeAsync(session, method, url, body, ct));
                if (result.Content is object[] array)
                    foreach (var item in array) WriteObject(PSObjectConverter.ToPSObject(item));
                else if (result.Content != null)
                    WriteObject(PSObjectConverter.ToPSObject(result.Content));
            }
            catch (JiraException e)
            {
                WriteError(e, e.Target);
            }
        }
    }
}

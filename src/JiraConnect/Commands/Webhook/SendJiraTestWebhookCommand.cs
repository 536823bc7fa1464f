using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using JiraConnect.Security;
using JiraConnect.Webhooks;
using static JiraConnect.Commands.CredentialParameters;

namespace JiraConnect.Commands
{
    /// <summary>Sends a web request to a listener exactly as Jira's "Send web request" action would, and says what Jira would make of the answer.</summary>
    [Cmdlet(VerbsCommunications.Send, "JiraTestWebhook", HelpUri = JiraHelp.Root + "Send-JiraTestWebhook.md", DefaultParameterSetName = SampleSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(JiraWebhookResult), typeof(JiraWebhookBurstResult))]
    public sealed class SendJiraTestWebhookCommand : JiraWebhookCmdlet
    {
        public const string SampleSet = "Sample";
        public const string IssueKeySet = "IssueKey";
        public const string PayloadSet = "Payload";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Url")]
        [ValidateNotNull]
        public Uri Uri { get; set; }

        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter]
        public SecureString Token { get; set; }

        [Parameter]
        public IDictionary Header { get; set; }

        [Parameter]
        [ValidateSet("POST", "PUT", "PATCH", "GET", "DELETE", IgnoreCase = true)]
        public string Method { get; set; } = "POST";

        [Parameter(ParameterSetName = SampleSet)]
        [Parameter(ParameterSetName = IssueKeySet)]
        [Alias("Format")]
        [JiraWebhookBodyFormatTransformation]
        public JiraWebhookBodyFormat Body { get; set; } = JiraWebhookBodyFormat.JiraIssue;

        [Parameter(ParameterSetName = SampleSet, ValueFromPipeline = true)]
        public object Issue { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IssueKeySet)]
        [ValidateNotNullOrEmpty]
        public string IssueKey { get; set; }

        [Parameter(ParameterSetName = SampleSet)]
        [Parameter(ParameterSetName = IssueKeySet)]
        public object CustomData { get; set; }

        [Parameter(ParameterSetName = SampleSet)]
        [Parameter(ParameterSetName = IssueKeySet)]
        public SwitchParameter EncodeAsForm { get; set; }

        [Parameter(ParameterSetName = SampleSet)]
        [Parameter(ParameterSetName = IssueKeySet)]
        [ValidateSet(IssueCreated, IssueUpdated, IssueDeleted)]
        public string WebhookEvent { get; set; } = IssueCreated;

        [Parameter(Mandatory = true, ParameterSetName = PayloadSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public JiraWebhookPayload Payload { get; set; }

        [Parameter]
        public SecureString Secret { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string WebhookIdentifier { get; set; }

        [Parameter]
        [ValidateRange(1, 300)]
        public int ConnectTimeoutSec { get; set; } = 5;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 20;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; }

        [Parameter]
        [ValidateRange(0, 3600)]
        public int RetryIntervalSec { get; set; } = 1;

        [Parameter]
        public SwitchParameter FollowRedirect { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        [Parameter]
        [ValidateRange(1, 1000000)]
        public int Count { get; set; } = 1;

        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void ProcessRecord()
        {
            var token = ChooseToken(this, Credential, Token);
            var payload = ResolvePayload();
            if (payload == null) return;

            if (Secret != null && payload.FormatKind != JiraWebhookBodyFormat.SystemWebhook)
                WriteWarning("Jira signs only admin (system) webhooks with X-Hub-Signature; Automation's Send web request never does. The signature is sent anyway.");
            if (SkipCertificateCheck)
                WriteWarning("-SkipCertificateCheck accepts any certificate, which Jira never does: a listener that passes this way may still fail from Jira.");

            var request = new JiraWebhookRequest
            {
                Uri = Uri,
                Method = Method.ToUpperInvariant(),
                Payload = payload,
                Token = token,
                Headers = ToHeaders(Header, out var secretHeaders),
                SecretHeaders = secretHeaders,
                Secret = NullIfEmpty(Secret),
                ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSec),
                ResponseTimeout = TimeSpan.FromSeconds(TimeoutSec),
                MaxRetries = MaximumRetryCount,
                RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
                FollowRedirects = FollowRedirect,
                SkipCertificateCheck = SkipCertificateCheck,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                NewIdentifierPerRequest = Count > 1 && string.IsNullOrEmpty(WebhookIdentifier),
            };

            string action = Guard(() => Describe(request, payload));
            if (!ShouldProcess(Redactor.Url(Uri), action)) return;

            try
            {
                if (Count == 1)
                {
                    WriteObject(Await(ct => JiraWebhookSender.SendAsync(request, ct)));
                    return;
                }
                int done = 0;
                var progress = new Progress(value => Interlocked.Exchange(ref done, value));
                var task = Start(ct => JiraWebhookSender.SendBurstAsync(request, Count, ThrottleLimit, progress, ct));
                var record = new ProgressRecord(ProgressId, "Send-JiraTestWebhook", $"Sending {Count} requests to {Redactor.Url(Uri)}");
                var burst = Await(task, () =>
                {
                    int sent = Volatile.Read(ref done);
                    record.StatusDescription = $"{sent} of {Count} answered";
                    record.PercentComplete = (int)(100L * sent / Count);
                    WriteProgress(record);
                });
                record.RecordType = ProgressRecordType.Completed;
                WriteProgress(record);
                WriteVerbose(burst.Verdict);
                WriteObject(burst);
            }
            catch (JiraException e)
            {
                WriteError(e, Uri);
            }
        }

        private JiraWebhookPayload ResolvePayload()
        {
            // A payload or a listener can arrive through -Issue when piped; take each for what it is.
            object piped = Issue is PSObject ps ? ps.BaseObject : Issue;
            var ready = piped as JiraWebhookPayload ?? (ParameterSetName == PayloadSet ? Payload : null);
            if (ready != null)
            {
                // A ready-made payload carries its own identifier; one given here would be silently ignored.
                if (!string.IsNullOrEmpty(WebhookIdentifier))
                {
                    ThrowTerminating(JiraErrorId.ParameterNotSupported, JiraErrorKind.InvalidArgument,
                        "-WebhookIdentifier applies to a body built here, not to a ready-made payload, which keeps its own identifier.", WebhookIdentifier,
                        "Pass -WebhookIdentifier to New-JiraWebhookPayload instead, or build the body here with -Body SystemWebhook.");
                }
                return ready;
            }
            if (piped is JiraWebhookListener) Issue = null;
            // The builder refuses what does not go together (an identifier with a body other than SystemWebhook among them).
            return BuildPayload(Body, Issue, IssueKey, CustomData, EncodeAsForm, WebhookEvent, WebhookIdentifier);
        }

        private string Describe(JiraWebhookRequest request, JiraWebhookPayload payload)
        {
            var headers = JiraWebhookSender.DescribeHeaders(request);
            string preview = payload.Body.Length == 0 ? "no body"
                : $"{payload.Length} bytes: {Redactor.Text(payload.Body.Length > 160 ? payload.Body.Substring(0, 160) + "…" : payload.Body)}";
            string times = Count > 1 ? $" ×{Count} ({ThrottleLimit} in parallel)" : string.Empty;
            return $"{request.Method} {payload.Format} body{times} ({preview}) with headers "
                + string.Join("; ", headers.Select(h => h.Key + ": " + h.Value));
        }

        /// <summary>Reports the number of answered requests from the engine's threads.</summary>
        private sealed class Progress : IProgress<int>
        {
            private readonly Action<int> _report;
            public Progress(Action<int> report) { _report = report; }
            public void Report(int value) => _report(value);
        }
    }
}

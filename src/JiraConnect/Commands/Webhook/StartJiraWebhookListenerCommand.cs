using System.Management.Automation;
using System.Net;
using System.Security;
using static JiraConnect.Commands.CredentialParameters;

namespace JiraConnect.Commands
{
    /// <summary>Starts a local listener that receives web requests the way the integration's listener must: Bearer token, optional signature, size limit.</summary>
    [Cmdlet(VerbsLifecycle.Start, "JiraWebhookListener", HelpUri = JiraHelp.Root + "Start-JiraWebhookListener.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(JiraWebhookListener))]
    public sealed class StartJiraWebhookListenerCommand : JiraCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string IPAddress { get; set; } = "127.0.0.1";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter]
        public SecureString Token { get; set; }

        [Parameter]
        public SecureString Secret { get; set; }

        [Parameter]
        [ValidateRange(0L, 1024L * 1024 * 1024)]
        public long MaximumBodySize { get; set; } = JiraWebhookListenerOptions.DefaultMaxBodyBytes;

        [Parameter]
        [ValidateRange(0L, long.MaxValue)]
        public long MaximumStoredBytes { get; set; } = JiraWebhookListenerOptions.DefaultMaxStoredBytes;

        [Parameter]
        [ValidateSet("sha1", "sha512", IgnoreCase = true)]
        public string[] AllowSignatureAlgorithm { get; set; }

        protected override void ProcessRecord()
        {
            var token = ChooseToken(this, Credential, Token);
            if (!System.Net.IPAddress.TryParse(IPAddress, out var address))
            {
                ThrowTerminating(JiraErrorId.ListenerStartFailed, JiraErrorKind.InvalidArgument,
                    $"'{IPAddress}' is not an IP address.", IPAddress, "Pass an address of this computer, such as 127.0.0.1 (the default) or 0.0.0.0 for every interface.");
            }
            if (!ShouldProcess($"{address}:{Port}", "Start webhook listener")) return;
            if (AllowSignatureAlgorithm != null && AllowSignatureAlgorithm.Length > 0 && NullIfEmpty(Secret) == null)
                WriteWarning("-AllowSignatureAlgorithm has no effect without -Secret: the listener checks no signature.");
            if (token == null)
                WriteWarning("The listener accepts requests without a token. Pass -Credential or -Token to make it demand Authorization: Bearer, as the integration's listener does.");
            if (!System.Net.IPAddress.IsLoopback(address))
                WriteWarning($"The listener on {address} can be reached from other computers that the firewall lets through. Bind 127.0.0.1 unless Jira itself must reach it (for example through a tunnel).");

            var options = new JiraWebhookListenerOptions
            {
                Address = address,
                Port = Port,
                Path = Path,
                Token = token,
                Secret = NullIfEmpty(Secret),
                MaxBodyBytes = MaximumBodySize,
                MaxStoredBytes = MaximumStoredBytes,
                AllowedSignatureAlgorithms = AllowSignatureAlgorithm,
            };
            try
            {
                var listener = JiraWebhookListenerRegistry.Start(options);
                WriteVerbose($"Listening on {listener.Url} (token {(listener.RequiresToken ? "required" : "not required")}, signature {(listener.VerifiesSignature ? "verified" : "not checked")}).");
                WriteObject(listener);
            }
            catch (JiraException e)
            {
                ThrowTerminating(e, $"{address}:{Port}");
            }
        }
    }
}

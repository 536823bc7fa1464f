using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Warns once when another loaded module (JiraPS above all) defines a command of the same name as one of
    /// JiraConnect's, such as Get-JiraProject or Get-JiraSession: a name typed alone then runs the command of the
    /// module imported last.
    /// <para>
    /// At import (<see cref="ModuleInitializer.OnImport"/>, before PowerShell exports the cmdlets) an exact-name lookup
    /// of each cmdlet name in the session's function and cmdlet tables finds nothing in a session without such a module
    /// and costs a few milliseconds at most, most of it compiling PowerShell's lookup path (a wildcard lookup costs tens). Only when it finds a command named like one of ours does it hook the session's next
    /// command lookup, which runs once the import has finished: by then the cmdlets carry their final names, so an
    /// import with <c>-Prefix</c> (Get-JcJiraProject) is no conflict and draws no warning. The warning goes to the
    /// host through Write-Warning, so $WarningPreference = 'SilentlyContinue' silences it.
    /// </para>
    /// </summary>
    internal static class CommandNameConflict
    {
        internal const string ModuleName = "JiraConnect";

        private const CommandTypes Commands = CommandTypes.Function | CommandTypes.Filter | CommandTypes.Cmdlet;

        /// <summary>Called at import on the importing thread. Never throws: a failed check must not fail the import.</summary>
        public static void CheckAtImport()
        {
            try
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace == null) return;
                // Runspace.SessionStateProxy refuses calls while the import's pipeline runs; a SessionState made on
                // this thread reaches the same engine (its scopes see the global scope, where modules export).
                var state = new SessionState();
                var invoke = state.InvokeCommand;
                var ours = new HashSet<string>(CmdletNames, StringComparer.OrdinalIgnoreCase);
                if (!ours.Any(name => invoke.GetCommands(name, Commands, nameIsPattern: false).Any(c => !IsOurs(c)))) return;
                var hook = new OneShotCheck(runspace, state, ours);
                invoke.PostCommandLookupAction = (EventHandler<CommandLookupEventArgs>)Delegate.Combine(invoke.PostCommandLookupAction, new EventHandler<CommandLookupEventArgs>(hook.OnLookup));
            }
            catch (Exception)
            {
                // The check is a courtesy; the import goes on without it.
            }
        }

        /// <summary>The warning for commands of <paramref name="ours"/> that other loaded modules also define, or null.</summary>
        internal static string FindConflicts(CommandInvocationIntrinsics invoke, IEnumerable<string> ours)
        {
            var clashes = new List<(string Name, string Module)>();
            foreach (var name in ours.OrderBy(n => n, StringComparer.OrdinalIgnoreCase))
            {
                var found = invoke.GetCommands(name, Commands, nameIsPattern: false).ToList();
                if (!found.Any(IsOurs)) continue;
                foreach (var other in found.Where(c => !IsOurs(c)))
                {
                    clashes.Add((other.Name, string.IsNullOrEmpty(other.ModuleName) ? "the session" : other.ModuleName));
                }
            }

            return clashes.Count == 0 ? null : Message(clashes);
        }

        internal static string Message(IReadOnlyList<(string Name, string Module)> clashes)
        {
            var names = string.Join(", ", clashes.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase));
            var modules = string.Join(", ", clashes.Select(c => c.Module).Distinct(StringComparer.OrdinalIgnoreCase));
            var first = clashes[0].Name;
            var dash = first.IndexOf('-');
            var prefixed = dash < 0 ? first : first.Substring(0, dash + 1) + "Jc" + first.Substring(dash + 1);
            return $"{names} {(clashes.Count == 1 ? "is" : "are")} also defined by the loaded module {modules}: typed alone, such a name may run that module's " +
                   $"command instead of JiraConnect's (a function wins over a cmdlet, and of two cmdlets the one imported last). " +
                   $"Call JiraConnect's by its module-qualified name ({ModuleName}\\{first}), " +
                   $"or import it with a prefix: Import-Module {ModuleName} -Prefix Jc (then {prefixed}). See Get-Help about_JiraConnect.";
        }

        private static bool IsOurs(CommandInfo command) =>
            (command is CmdletInfo cmdlet && cmdlet.ImplementingType?.Assembly == typeof(CommandNameConflict).Assembly)
            || string.Equals(command.ModuleName, ModuleName, StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// The module's cmdlets, as JiraConnect.psd1 exports them (Module.Tests checks the two agree). A list rather than
        /// a scan of the assembly's CmdletAttributes, which would load every type at each import.
        /// </summary>
        internal static readonly string[] CmdletNames =
        {
            "Connect-JiraSite", "Disconnect-JiraSite", "Get-JiraSession", "Get-JiraProject", "Invoke-JiraRestMethod",
            "Invoke-JiraOAuthConsent", "Get-JiraAccessibleResource", "Get-JiraConnectorSetting", "Send-JiraTestWebhook",
            "New-JiraWebhookPayload", "Format-JiraSmartValue", "Start-JiraWebhookListener", "Get-JiraWebhookListener",
            "Receive-JiraWebhook", "Stop-JiraWebhookListener", "Test-JiraWebhookAllowlist", "Test-JiraProjectAccess",
            "Add-JiraProjectRoleActor", "Remove-JiraProjectRoleActor", "Test-JiraConnection", "Get-JiraEnvironmentTestPath",
            "Get-JiraAutomationRule", "New-JiraWebhookRule", "New-JiraAutomationRule", "Set-JiraAutomationRule",
            "Enable-JiraAutomationRule", "Disable-JiraAutomationRule", "Remove-JiraAutomationRule", "Set-JiraWebhookRuleToken",
            "Get-JiraApiTokenExpiry",
        };

        /// <summary>Runs at the first command lookup after the import, then unhooks itself.</summary>
        private sealed class OneShotCheck
        {
            private readonly Runspace _runspace;
            private readonly CommandInvocationIntrinsics _invoke;
            private readonly HashSet<string> _ours;
            private bool _done;

            public OneShotCheck(Runspace runspace, SessionState state, HashSet<string> ours)
            {
                _runspace = runspace;
                _invoke = state.InvokeCommand;
                _ours = ours;
            }

            public void OnLookup(object sender, CommandLookupEventArgs e)
            {
                if (_done || Runspace.DefaultRunspace != _runspace) return;
                _done = true;
                _invoke.PostCommandLookupAction = (EventHandler<CommandLookupEventArgs>)Delegate.Remove(_invoke.PostCommandLookupAction, new EventHandler<CommandLookupEventArgs>(OnLookup));
                try
                {
                    var message = FindConflicts(_invoke, _ours);
                    if (message == null) return;
                    // A nested Write-Warning in the current runspace reaches the host and honours $WarningPreference.
                    using (var warning = PowerShell.Create(RunspaceMode.CurrentRunspace))
                    {
                        warning.AddCommand("Write-Warning").AddParameter("Message", message).Invoke();
                    }
                }
                catch (Exception)
                {
                    // As at import: never break the user's command for a courtesy warning.
                }
            }
        }
    }
}

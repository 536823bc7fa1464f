using System.IO;
using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>The path of the ready-made Pester suite that proves a Jira environment is ready for an integration.</summary>
    [Cmdlet(VerbsCommon.Get, "JiraEnvironmentTestPath", HelpUri = JiraHelp.Root + "Get-JiraEnvironmentTestPath.md")]
    [OutputType(typeof(string))]
    public sealed class GetJiraEnvironmentTestPathCommand : JiraCmdlet
    {
        public const string FileName = "JiraConnect.Environment.Tests.ps1";

        protected override void ProcessRecord()
        {
            string folder = MyInvocation.MyCommand.Module?.ModuleBase ?? Path.GetDirectoryName(typeof(GetJiraEnvironmentTestPathCommand).Assembly.Location);
            string path = Path.Combine(folder, FileName);
            if (!File.Exists(path))
            {
                ThrowTerminating(JiraErrorId.EnvironmentSuiteNotFound, JiraErrorKind.NotFound,
                    $"The environment test suite {FileName} is missing from {folder}.", path,
                    "Reinstall the JiraConnect module (Install-PSResource JiraConnect -Reinstall), or build it with ./build.ps1 -Task Build.");
            }
            WriteObject(path);
        }
    }
}

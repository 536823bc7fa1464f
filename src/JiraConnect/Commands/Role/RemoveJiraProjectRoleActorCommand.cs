using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Removes the session's account, another user or a group from a project role, in one or more projects.</summary>
    [Cmdlet(VerbsCommon.Remove, "JiraProjectRoleActor", HelpUri = JiraHelp.Root + "Remove-JiraProjectRoleActor.md", DefaultParameterSetName = SelfSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(JiraRoleActorChange))]
    public sealed class RemoveJiraProjectRoleActorCommand : JiraProjectRoleActorCommand
    {
        protected override bool Adding => false;
    }
}

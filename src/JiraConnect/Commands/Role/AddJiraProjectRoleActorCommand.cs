using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Adds the session's account, another user or a group to a project role, in one or more projects.</summary>
    [Cmdlet(VerbsCommon.Add, "JiraProjectRoleActor", HelpUri = JiraHelp.Root + "Add-JiraProjectRoleActor.md", DefaultParameterSetName = SelfSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(JiraRoleActorChange))]
    public sealed class AddJiraProjectRoleActorCommand : JiraProjectRoleActorCommand
    {
        protected override bool Adding => true;
    }
}

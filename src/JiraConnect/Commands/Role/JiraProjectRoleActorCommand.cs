using System;
using System.Linq;
using System.Management.Automation;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    /// <summary>
    /// What Add-JiraProjectRoleActor and Remove-JiraProjectRoleActor share: the project keys, the role, the actor
    /// (the session's own account, a user, or a group), and the idempotent read-then-change per project.
    /// </summary>
    public abstract class JiraProjectRoleActorCommand : JiraApiCmdlet
    {
        public const string SelfSet = "Self";
        public const string UserSet = "User";
        public const string GroupSet = "Group";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Project", "Key")]
        [ArgumentCompleter(typeof(ProjectKeyCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] ProjectKey { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RoleNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Role { get; set; } = JiraAccessAuditOptions.DefaultRole;

        [Parameter(Mandatory = true, ParameterSetName = UserSet, ValueFromPipelineByPropertyName = true)]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string AccountId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = GroupSet)]
        [ValidateNotNullOrEmpty]
        public string Group { get; set; }

        /// <summary>True to add the actor, false to remove it.</summary>
        protected abstract bool Adding { get; }

        private JiraSession _session;
        private JiraRoleDirectory _roles;

        protected override void BeginProcessing()
        {
            _session = ResolveSession();
            _roles = new JiraRoleDirectory(_session);
        }

        protected override void ProcessRecord()
        {
            var session = _session;
            JiraRoleActorSpec actor = Guard(() => ParameterSetName == GroupSet ? JiraRoleActorSpec.Group(Group)
                : JiraRoleActorSpec.User(ParameterSetName == UserSet ? AccountId : session.User?.Id));
            string what = ParameterSetName == SelfSet ? "the session's account " + JiraRoleService.DescribeUser(session.User, actor.Id) : null;

            foreach (var key in JiraProjectService.DistinctKeys(ProjectKey))
            {
                try
                {
                    var plan = Await(ct => JiraRoleService.PlanAsync(session, _roles, key, Role, actor, ct));
                    if (plan.IsPresent == Adding)
                    {
                        WriteVerbose($"{what ?? actor.ToString()} is {(Adding ? "already" : "not")} in the {plan.Target}; nothing to change.");
                        WriteObject(plan.ToChange(Adding ? JiraRoleActorChangeResult.AlreadyPresent : JiraRoleActorChangeResult.NotPresent));
                        continue;
                    }
                    // The user's name and email, read once and only when a change is due, so that -WhatIf and -Confirm say who.
                    what = what ?? Await(ct => JiraRoleService.DescribeActorAsync(session, actor, ct));
                    if (!ShouldProcess(plan.Target, (Adding ? "Add " : "Remove ") + what)) continue;
                    WriteObject(Await(ct => Adding ? JiraRoleService.AddAsync(plan, ct) : JiraRoleService.RemoveAsync(plan, ct)));
                }
                catch (JiraException e) when (e.ErrorId == JiraErrorId.RoleNotFound)
                {
                    ThrowTerminating(e, Role);
                }
                catch (JiraException e)
                {
                    WriteError(e, key);
                }
            }
        }
    }
}

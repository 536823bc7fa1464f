using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace JiraConnect.Services
{
    /// <summary>A user or group to add to, or remove from, a project role.</summary>
    public sealed class JiraRoleActorSpec
    {
        private JiraRoleActorSpec(JiraRoleActorType type, string id)
        {
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("The user or group must not be empty.", nameof(id));
            Type = type;
            Id = id.Trim();
        }

        public JiraRoleActorType Type { get; }
        /// <summary>accountId (Cloud) or user name (Data Center) of a user; name or id of a group.</summary>
        public string Id { get; }

        public static JiraRoleActorSpec User(string accountIdOrUserName) => new JiraRoleActorSpec(JiraRoleActorType.User, accountIdOrUserName);

        public static JiraRoleActorSpec Group(string nameOrId) => new JiraRoleActorSpec(JiraRoleActorType.Group, nameOrId);

        /// <summary>Cloud group ids are UUIDs; anything else is a group name.</summary>
        internal bool IsGroupId => Type == JiraRoleActorType.Group && GroupIdPattern.IsMatch(Id);

        private static readonly Regex GroupIdPattern = new Regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant);

        public override string ToString() => Type + " " + Id;
    }

    /// <summary>A project role as it applies to one project.</summary>
    public sealed class JiraProjectRoleRef
    {
        internal JiraProjectRoleRef(string projectKey, long id, string name)
        {
            ProjectKey = projectKey;
            Id = id;
            Name = name;
        }

        public string ProjectKey { get; }
        public long Id { get; }
        public string Name { get; }
    }

    /// <summary>A planned change: the role resolved and whether the actor is in it now.</summary>
    public sealed class JiraRoleActorPlan
    {
        internal JiraRoleActorPlan(JiraSession session, JiraProjectRoleRef role, JiraRoleActorSpec actor, bool present)
        {
            Session = session;
            Role = role;
            Actor = actor;
            IsPresent = present;
        }

        public JiraSession Session { get; }
        public JiraProjectRoleRef Role { get; }
        public JiraRoleActorSpec Actor { get; }
        /// <summary>Whether the actor is in the role itself (membership through a group does not count).</summary>
        public bool IsPresent { get; }

        /// <summary>A description for ShouldProcess: "Administrators role of project HR".</summary>
        public string Target => $"{Role.Name} role of project {Role.ProjectKey}";

        /// <summary>The change record for this plan with the given outcome.</summary>
        public JiraRoleActorChange ToChange(JiraRoleActorChangeResult result) => new JiraRoleActorChange
        {
            ProjectKey = Role.ProjectKey,
            Role = Role.Name,
            RoleId = Role.Id,
            ActorType = Actor.Type.ToString(),
            Actor = Actor.Id,
            Result = result.ToString(),
            Session = Session.Name,
        };
    }

    /// <summary>The actors of a role in one project, as plain values.</summary>
    internal sealed class RoleActors
    {
        public RoleActors(IReadOnlyList<string> users, IReadOnlyList<(string Name, string Id)> groups)
        {
            Users = users;
            Groups = groups;
        }

        /// <summary>accountIds (Cloud) or user names (Data Center).</summary>
        public IReadOnlyList<string> Users { get; }
        public IReadOnlyList<(string Name, string Id)> Groups { get; }

        public bool Contains(JiraRoleActorSpec actor) => actor.Type == JiraRoleActorType.User
            ? Users.Contains(actor.Id, StringComparer.OrdinalIgnoreCase)
            : Groups.Any(g => string.Equals(g.Name, actor.Id, StringComparison.OrdinalIgnoreCase) || string.Equals(g.Id, actor.Id, StringComparison.OrdinalIgnoreCase));
    }
}

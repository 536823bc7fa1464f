namespace JiraConnect
{
    public enum JiraRoleActorType
    {
        User,
        Group,
    }

    public enum JiraRoleActorChangeResult
    {
        /// <summary>The actor was added to the role.</summary>
        Added,
        /// <summary>The actor was in the role already; nothing was changed.</summary>
        AlreadyPresent,
        /// <summary>The actor was removed from the role.</summary>
        Removed,
        /// <summary>The actor was not in the role; nothing was changed.</summary>
        NotPresent,
    }

    /// <summary>The outcome of adding an actor to, or removing it from, a project role in one project.</summary>
    public sealed class JiraRoleActorChange
    {
        public string ProjectKey { get; set; }
        public string Role { get; set; }
        public long RoleId { get; set; }
        /// <summary>User or Group (the names of <see cref="JiraRoleActorType"/>).</summary>
        public string ActorType { get; set; }
        /// <summary>The accountId (Cloud) or user name (Data Center) of a user; the name or id of a group.</summary>
        public string Actor { get; set; }
        /// <summary>Added, AlreadyPresent, Removed or NotPresent (the names of <see cref="JiraRoleActorChangeResult"/>).</summary>
        public string Result { get; set; }
        public string Session { get; set; }

        public override string ToString() => DisplayText.Escape($"{ProjectKey} {Role} {ActorType} {Actor}: {Result}");
    }
}

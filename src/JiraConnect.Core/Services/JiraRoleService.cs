using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

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

    /// <summary>
    /// Resolves role names to ids for one session and remembers them: Jira shares its project roles between all
    /// projects, so one successful lookup serves every project.
    /// </summary>
    public sealed class JiraRoleDirectory
    {
        private readonly JiraSession _session;
        private readonly ConcurrentDictionary<string, (long Id, string Name)> _known = new ConcurrentDictionary<string, (long, string)>(StringComparer.OrdinalIgnoreCase);
        private readonly SemaphoreSlim _lookup = new SemaphoreSlim(1, 1);

        /// <summary>The default project roles of a Jira site, offered for completion before the session has read its own.</summary>
        public static readonly IReadOnlyList<string> WellKnownRoleNames = new[] { "Administrators", "Developers", "Users" };

        /// <summary>The project role names the session has read (from any project; Jira shares them), else the well-known ones.</summary>
        public static IReadOnlyList<string> GetRoleNamesForCompletion(JiraSession session) =>
            (session == null ? null : SessionCompletionCache.Of(session).RoleNames) is { Count: > 0 } known ? known : WellKnownRoleNames;

        /// <summary>Reads the project roles of a project (GET project/{key}/role) and remembers their names in the session.</summary>
        public static async Task<IReadOnlyList<string>> ReadRoleNamesAsync(JiraSession session, string projectKey, CancellationToken ct)
        {
            var url = session.Client.Resolve("project/" + Uri.EscapeDataString(projectKey) + "/role");
            var map = await session.Client.GetAsync<Dictionary<string, string>>(url, ct).ConfigureAwait(false) ?? new Dictionary<string, string>();
            var names = map.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToArray();
            if (names.Length > 0) SessionCompletionCache.Of(session).RoleNames = names;
            return names;
        }

        public JiraRoleDirectory(JiraSession session)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
        }

        /// <summary>The role in this project; throws RoleNotFound when the site has no role of that name.</summary>
        public async Task<JiraProjectRoleRef> ResolveAsync(string projectKey, string roleName, CancellationToken ct)
        {
            if (_known.TryGetValue(roleName, out var role)) return new JiraProjectRoleRef(projectKey, role.Id, role.Name);
            // Parallel audit workers all miss at first: one asks, the others wait and find its answer.
            await _lookup.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (!_known.TryGetValue(roleName, out role)) role = await LookUpAsync(projectKey, roleName, ct).ConfigureAwait(false);
            }
            finally
            {
                _lookup.Release();
            }
            return new JiraProjectRoleRef(projectKey, role.Id, role.Name);
        }

        private async Task<(long Id, string Name)> LookUpAsync(string projectKey, string roleName, CancellationToken ct)
        {
            var url = _session.Client.Resolve("project/" + Uri.EscapeDataString(projectKey) + "/role");
            Dictionary<string, string> map;
            try
            {
                map = await _session.Client.GetAsync<Dictionary<string, string>>(url, ct).ConfigureAwait(false) ?? new Dictionary<string, string>();
            }
            catch (JiraApiException e) when (JiraRoleService.IsRoleAccessRefusal(e))
            {
                throw JiraRoleService.AccessDenied(projectKey, $"read the project roles of {projectKey}", e);
            }
            foreach (var entry in map)
            {
                if (TryParseRoleId(entry.Value, out long id)) _known.TryAdd(entry.Key, (id, entry.Key));
            }
            SessionCompletionCache.Of(_session).RoleNames = map.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToArray();
            if (!_known.TryGetValue(roleName, out var role))
            {
                string names = string.Join(", ", map.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase));
                throw new JiraException(JiraErrorId.RoleNotFound, JiraErrorKind.InvalidArgument,
                    $"The site has no project role named '{roleName}'. Its project roles are: {names}.", roleName,
                    "Pass one of these names to -Role (Administrators is the role the connector guide recommends).");
            }
            return role;
        }

        private static bool TryParseRoleId(string url, out long id)
        {
            id = 0;
            if (string.IsNullOrEmpty(url)) return false;
            string last = url.TrimEnd('/');
            last = last.Substring(last.LastIndexOf('/') + 1);
            return long.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
        }
    }

    /// <summary>Reads and changes the actors of project roles (users by accountId or user name, groups by name or id).</summary>
    public static class JiraRoleService
    {
        /// <summary>
        /// The actor in words for -WhatIf and -Confirm: a user by display name and email (GET user), then the id;
        /// a group by its name or id. When Jira does not answer, the id alone.
        /// </summary>
        public static async Task<string> DescribeActorAsync(JiraSession session, JiraRoleActorSpec actor, CancellationToken ct)
        {
            if (actor.Type == JiraRoleActorType.Group) return "group " + DisplayText.Escape(actor.Id);
            try
            {
                var url = session.Client.Resolve("user?" + (session.IsCloud ? "accountId=" : "username=") + Uri.EscapeDataString(actor.Id));
                var user = JiraConnector.ToUser(await session.Client.GetAsync<UserDto>(url, ct).ConfigureAwait(false));
                return "user " + DescribeUser(user, actor.Id);
            }
            catch (JiraException)
            {
                return "user " + DisplayText.Escape(actor.Id);
            }
        }

        /// <summary>"Ada Admin &lt;ada@example.com&gt; (id)", leaving out what is unknown.</summary>
        public static string DescribeUser(JiraUser user, string id)
        {
            string name = user?.DisplayName;
            string email = user?.EmailAddress;
            string text = string.IsNullOrEmpty(name) ? string.Empty : name;
            if (!string.IsNullOrEmpty(email)) text += (text.Length > 0 ? " " : string.Empty) + "<" + email + ">";
            return DisplayText.Escape(text.Length == 0 ? id : text + " (" + id + ")");
        }

        /// <summary>Resolves the role and reads whether the actor is in it: the first half of an idempotent change.</summary>
        public static async Task<JiraRoleActorPlan> PlanAsync(JiraSession session, JiraRoleDirectory roles, string projectKey, string roleName,
            JiraRoleActorSpec actor, CancellationToken ct)
        {
            var role = await roles.ResolveAsync(projectKey, roleName, ct).ConfigureAwait(false);
            var actors = await GetActorsAsync(session, role, ct).ConfigureAwait(false);
            return new JiraRoleActorPlan(session, role, actor, actors.Contains(actor));
        }

        /// <summary>How Jira names the actor in role requests: user, groupId (Cloud, by id) or group (by name).</summary>
        private static string ActorField(JiraRoleActorPlan plan) =>
            plan.Actor.Type == JiraRoleActorType.User ? "user" : (plan.Session.IsCloud && plan.Actor.IsGroupId ? "groupId" : "group");

        /// <summary>Adds the actor; a 400 "already a member" (someone was quicker) counts as AlreadyPresent.</summary>
        public static async Task<JiraRoleActorChange> AddAsync(JiraRoleActorPlan plan, CancellationToken ct)
        {
            string body = JsonTree.Serialize(new Dictionary<string, object> { [ActorField(plan)] = new[] { plan.Actor.Id } });
            try
            {
                await plan.Session.Client.SendAsync(HttpMethod.Post, RoleUrl(plan.Session, plan.Role), body, ct).ConfigureAwait(false);
                return plan.ToChange(JiraRoleActorChangeResult.Added);
            }
            catch (JiraApiException e) when (e.StatusCode == HttpStatusCode.BadRequest && e.Message.IndexOf("already a member", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return plan.ToChange(JiraRoleActorChangeResult.AlreadyPresent);
            }
            catch (JiraApiException e) when (e.StatusCode == HttpStatusCode.NotFound || (int)e.StatusCode == 410)
            {
                throw ActorNotFound(plan, e);
            }
            catch (JiraApiException e) when (IsRoleAccessRefusal(e))
            {
                throw AccessDenied(plan.Role.ProjectKey, $"change the {plan.Role.Name} role of project {plan.Role.ProjectKey}", e);
            }
        }

        /// <summary>Removes the actor; a 404 after the plan saw it (someone was quicker) counts as NotPresent.</summary>
        public static async Task<JiraRoleActorChange> RemoveAsync(JiraRoleActorPlan plan, CancellationToken ct)
        {
            var url = JiraClient.AppendQuery(RoleUrl(plan.Session, plan.Role), new Dictionary<string, object> { [ActorField(plan)] = plan.Actor.Id });
            try
            {
                await plan.Session.Client.SendAsync(HttpMethod.Delete, url, null, ct).ConfigureAwait(false);
                return plan.ToChange(JiraRoleActorChangeResult.Removed);
            }
            catch (JiraNotFoundException)
            {
                return plan.ToChange(JiraRoleActorChangeResult.NotPresent);
            }
            catch (JiraApiException e) when (IsRoleAccessRefusal(e))
            {
                throw AccessDenied(plan.Role.ProjectKey, $"change the {plan.Role.Name} role of project {plan.Role.ProjectKey}", e);
            }
        }

        /// <summary>The users and groups of the role in its project.</summary>
        internal static async Task<RoleActors> GetActorsAsync(JiraSession session, JiraProjectRoleRef role, CancellationToken ct)
        {
            ProjectRoleDto dto;
            try
            {
                dto = await session.Client.GetAsync<ProjectRoleDto>(RoleUrl(session, role), ct).ConfigureAwait(false);
            }
            catch (JiraApiException e) when (IsRoleAccessRefusal(e))
            {
                throw AccessDenied(role.ProjectKey, $"read the members of the {role.Name} role of project {role.ProjectKey}", e);
            }
            var users = new List<string>();
            var groups = new List<(string, string)>();
            foreach (var actor in dto?.Actors ?? new List<RoleActorDto>())
            {
                bool isGroup = string.Equals(actor.Type, "atlassian-group-role-actor", StringComparison.OrdinalIgnoreCase) || actor.ActorGroup != null;
                if (isGroup)
                    groups.Add((actor.ActorGroup?.Name ?? actor.Name, actor.ActorGroup?.GroupId));
                else if (!string.IsNullOrEmpty(actor.ActorUser?.AccountId ?? actor.Name))
                    users.Add(actor.ActorUser?.AccountId ?? actor.Name);
            }
            return new RoleActors(users, groups);
        }

        private static Uri RoleUrl(JiraSession session, JiraProjectRoleRef role) =>
            session.Client.Resolve($"project/{Uri.EscapeDataString(role.ProjectKey)}/role/{role.Id}");

        /// <summary>
        /// Jira answers 404 (and on Cloud sometimes 401 or 403) when the account may not administer the project's roles;
        /// the session itself is known to work, so these mean "not allowed", not "wrong credentials".
        /// </summary>
        internal static bool IsRoleAccessRefusal(JiraApiException e) =>
            e.StatusCode == HttpStatusCode.NotFound || e.StatusCode == HttpStatusCode.Forbidden
            || (e.StatusCode == HttpStatusCode.Unauthorized && e.ErrorId == JiraErrorId.AuthenticationFailed && e.ErrorMessages.Count > 0
                && e.ErrorMessages.All(m => m.IndexOf("not authenticated", StringComparison.OrdinalIgnoreCase) < 0));

        internal static JiraException AccessDenied(string projectKey, string what, JiraApiException e) =>
            new JiraPermissionException(JiraErrorId.RoleAccessDenied, e.StatusCode,
                $"Jira did not let the account {what} ({(int)e.StatusCode}): the project does not exist, or the account lacks Administer Projects there and Administer Jira."
                + JiraErrorFactory.Suffix(e),
                projectKey, e.ErrorMessages, e.Errors,
                $"Use a session of a Jira administrator, or ask an administrator of {projectKey} to change the role in Project settings → People.");

        private static JiraException ActorNotFound(JiraRoleActorPlan plan, JiraApiException e) =>
            new JiraApiException(JiraErrorId.ActorNotFound, JiraErrorKind.NotFound, e.StatusCode,
                $"Jira knows no {(plan.Actor.Type == JiraRoleActorType.User ? "user" : "group")} '{plan.Actor.Id}' to add to the {plan.Role.Name} role of project {plan.Role.ProjectKey}."
                + JiraErrorFactory.Suffix(e),
                plan.Role.ProjectKey, e.ErrorMessages, e.Errors,
                plan.Actor.Type == JiraRoleActorType.User
                    ? (plan.Session.IsCloud ? "Pass the user's accountId (not the email address) to -AccountId." : "Pass the user's user name to -AccountId.")
                    : "Pass the group's name or (on Cloud) its id to -Group.");
    }
}

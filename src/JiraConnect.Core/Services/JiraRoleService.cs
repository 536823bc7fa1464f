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
                dto = await session.Client.GetAsync<ProjectRoleDto>(RoleUrl(session, role), RoleEndpoint, ct).ConfigureAwait(false);
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

        /// <summary>The route every project's role counts against for Jira's burst limit (one endpoint, whatever the project).</summary>
        private const string RoleEndpoint = "project/{projectIdOrKey}/role/{id}";

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

using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Json;

namespace JiraConnect.Access
{
    /// <summary>
    /// The session's own account: GET mypermissions with the permissions filter. Cloud requires the filter; Data Center
    /// answers only those keys where it supports the filter, and every permission it knows where it ignores it.
    /// </summary>
    internal sealed class MyPermissionsReader : PermissionReader
    {
        public MyPermissionsReader(JiraSession session, IReadOnlyList<string> required)
            : base(session, null, required)
        {
        }

        public override string Source => "GET mypermissions (the session's account)";

        public override async Task<HashSet<string>> ReadAsync(JiraProject project, CancellationToken ct)
        {
            var query = new Dictionary<string, object> { ["projectKey"] = project.Key, ["permissions"] = string.Join(",", Required) };
            PermissionsDto dto;
            try
            {
                dto = await Session.Client.GetAsync<PermissionsDto>(Session.Client.Resolve("mypermissions", query), ct).ConfigureAwait(false);
            }
            catch (JiraNotFoundException e)
            {
                throw new JiraApiException(JiraErrorId.ProjectNotFound, JiraErrorKind.NotFound, e.StatusCode,
                    $"Jira reports no project '{project.Key}' to {Session.User}: it was deleted, or the account can no longer see it." + JiraErrorFactory.Suffix(e),
                    project.Key, e.ErrorMessages, e.Errors, "Check the key, and add the account to the project's Administrators role (Project settings → People).");
            }
            var permissions = dto?.Permissions ?? new Dictionary<string, PermissionDto>();
            // Data Center answers with the keys asked for (or, where it ignores the filter, every key it knows): a key missing from the answer is not a key of that site.
            var unknown = Required.Where(p => !permissions.ContainsKey(p)).ToList();
            if (!Session.IsCloud && unknown.Count > 0)
            {
                throw new JiraApiException(JiraErrorId.BadRequest, JiraErrorKind.InvalidArgument, HttpStatusCode.BadRequest,
                    $"The site knows no permission {AccessWording.JoinAnd(unknown)}.", string.Join(",", unknown), null, null,
                    "Pass permission keys such as BROWSE_PROJECTS or EDIT_ISSUES to -Permission (Invoke-JiraRestMethod permissions lists them).");
            }
            var held = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var entry in permissions)
                if (entry.Value?.HavePermission == true) held.Add(entry.Key);
            return held;
        }
    }
}

using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace JiraConnect.Json
{
    // Wire shapes, internal to the engine. Public objects are built from them.
    internal sealed class ServerInfoDto
    {
        public string BaseUrl { get; set; }
        public string Version { get; set; }
        public string DeploymentType { get; set; }
        public string ServerTitle { get; set; }
        public long BuildNumber { get; set; }
    }

    internal sealed class UserDto
    {
        public string AccountId { get; set; }
        public string AccountType { get; set; }
        public string Name { get; set; }
        public string Key { get; set; }
        public string EmailAddress { get; set; }
        public string DisplayName { get; set; }
        public bool Active { get; set; }
        public string TimeZone { get; set; }
        public string Locale { get; set; }
        public string Self { get; set; }
    }

    internal sealed class ProjectCategoryDto
    {
        public string Id { get; set; }
        public string Name { get; set; }
    }

    internal sealed class ProjectDto
    {
        public string Id { get; set; }
        public string Key { get; set; }
        public string Name { get; set; }
        public string Self { get; set; }
        public string ProjectTypeKey { get; set; }
        public string Style { get; set; }
        public bool? Simplified { get; set; }
        public bool? IsPrivate { get; set; }
        public bool? Archived { get; set; }
        public bool? Deleted { get; set; }
        public ProjectCategoryDto ProjectCategory { get; set; }
        public UserDto Lead { get; set; }
    }

    internal sealed class ProjectPageDto
    {
        public long StartAt { get; set; }
        public int MaxResults { get; set; }
        public long? Total { get; set; }
        public bool? IsLast { get; set; }
        public string NextPage { get; set; }
        public List<ProjectDto> Values { get; set; }
    }
}

using System;
using System.Collections.Specialized;

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// A realistic issue, user and change log in the REST API version 2 shape that Jira's webhooks carry:
    /// IT-4 "VPN disconnects every few minutes" in the IT Service Desk project of https://example.atlassian.net.
    /// </summary>
    public static class JiraWebhookSample
    {
        public const string SiteUrl = "https://example.atlassian.net";

        /// <summary>The sample issue; <paramref name="project"/> moves it into that project (as KEY-1).</summary>
        public static OrderedDictionary Issue(JiraProject project = null)
        {
            string site = SiteOf(project);
            string api = site + "/rest/api/2";
            string projectId = project?.Id ?? "10003";
            string projectKey = project?.Key ?? "IT";
            string issueKey = project == null ? "IT-4" : projectKey + "-1";

            var fields = Map(
                "statuscategorychangedate", "2025-03-04T09:42:10.114+0000",
                "issuetype", Map(
                    "self", api + "/issuetype/10003",
                    "id", "10003",
                    "description", "For system outages or incidents.",
                    "iconUrl", site + "/rest/api/2/universal_avatar/view/type/issuetype/avatar/10570?size=medium",
                    "name", "Incident",
                    "subtask", false,
                    "avatarId", 10570L,
                    "hierarchyLevel", 0L),
                "project", Map(
                    "self", project?.Url?.ToString() ?? api + "/project/" + projectId,
                    "id", projectId,
                    "key", projectKey,
                    "name", project?.Name ?? "IT Service Desk",
                    "projectTypeKey", project?.ProjectTypeKey ?? "service_desk",
                    "simplified", project?.Simplified ?? false),
                "created", "2025-03-04T09:15:27.031+0000",
                "updated", "2025-03-04T09:42:10.114+0000",
                "priority", Map(
                    "self", api + "/priority/2",
                    "iconUrl", site + "/images/icons/priorities/high.svg",
                    "name", "High",
                    "id", "2"),
                "labels", new object[] { "vpn", "remote-work" },
                "assignee", User(Agent, site),
                "reporter", User(Reporter, site),
                "creator", User(Reporter, site),
                "status", Map(
                    "self", api + "/status/10002",
                    "description", "Our team is working on the request.",
                    "iconUrl", site + "/images/icons/statuses/generic.png",
                    "name", "Waiting for support",
                    "id", "10002",
                    "statusCategory", Map(
                        "self", api + "/statuscategory/4",
                        "id", 4L,
                        "key", "indeterminate",
                        "colorName", "yellow",
                        "name", "In Progress")),
                "components", new object[] { Map("self", api + "/component/10010", "id", "10010", "name", "Network") },
                "resolution", null,
                "resolutiondate", null,
                "duedate", null,
                "summary", "VPN disconnects every few minutes",
                "description", "Since this morning the VPN drops every five to ten minutes for the whole support team. Reconnecting works, but calls are cut.",
                "environment", "Windows 11, GlobalProtect 6.2");

            return Map(
                "expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
                "id", "10042",
                "self", api + "/issue/10042",
                "key", issueKey,
                "fields", fields);
        }

        /// <summary>The custom field of the sample's SLA: "Time to resolution" as a new service project creates it (the id differs per site).</summary>
        public const string SlaFieldId = "customfield_10030";

        /// <summary>The SLA goal of the sample: 4 hours.</summary>
        public static readonly TimeSpan SlaGoal = TimeSpan.FromHours(4);

        /// <summary>
        /// A copy of the issue with its "Time to resolution" SLA breached a minute before <paramref name="now"/>, shaped as Jira
        /// shows an SLA field: id, name, _links, completedCycles and the ongoing cycle with its times and durations.
        /// </summary>
        public static OrderedDictionary WithBreachedSla(object issue, DateTimeOffset now)
        {
            var copy = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            if (issue is System.Collections.IDictionary source)
                foreach (System.Collections.DictionaryEntry entry in source) copy[entry.Key] = entry.Value;
            var fields = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            if (copy["fields"] is System.Collections.IDictionary existing)
                foreach (System.Collections.DictionaryEntry entry in existing) fields[entry.Key] = entry.Value;
            copy["fields"] = fields;
            string self = copy["self"] as string;
            string site = self != null && Uri.TryCreate(self, UriKind.Absolute, out var selfUrl) ? selfUrl.GetLeftPart(UriPartial.Authority) : SiteUrl;
            var started = now - SlaGoal - TimeSpan.FromMinutes(1);
            var elapsed = now - started;
            fields[SlaFieldId] = Map(
                "id", "2",
                "name", "Time to resolution",
                "_links", Map("self", site + "/rest/servicedeskapi/request/" + (copy["id"] as string ?? "10042") + "/sla/2"),
                "completedCycles", new object[0],
                "ongoingCycle", Map(
                    "startTime", SlaTime(started),
                    "breachTime", SlaTime(started + SlaGoal),
                    "breached", true,
                    "paused", false,
                    "withinCalendarHours", true,
                    "goalDuration", SlaDuration(SlaGoal),
                    "elapsedTime", SlaDuration(elapsed),
                    "remainingTime", SlaDuration(SlaGoal - elapsed)),
                "slaDisplayFormat", "NEW_SLA_FORMAT");
            return copy;
        }

        private static OrderedDictionary SlaTime(DateTimeOffset when)
        {
            var utc = when.ToUniversalTime();
            return Map(
                "iso8601", utc.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture),
                "jira", utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", System.Globalization.CultureInfo.InvariantCulture),
                "friendly", utc.ToString("dd/MMM/yy h:mm tt", System.Globalization.CultureInfo.InvariantCulture),
                "epochMillis", utc.ToUnixTimeMilliseconds());
        }

        private static OrderedDictionary SlaDuration(TimeSpan span)
        {
            long minutes = (long)Math.Round(Math.Abs(span.TotalMinutes));
            string friendly = (span < TimeSpan.Zero ? "-" : string.Empty)
                + (minutes >= 60 ? (minutes / 60) + "h" + (minutes % 60 > 0 ? " " + (minutes % 60) + "m" : string.Empty) : minutes + "m");
            return Map("millis", (long)span.TotalMilliseconds, "friendly", friendly);
        }

        /// <summary>The account that changed the issue (the webhook's "user").</summary>
        public static OrderedDictionary User(JiraProject project = null) => User(Agent, SiteOf(project));

        /// <summary>The change behind jira:issue_updated: the status moved from Open to Waiting for support.</summary>
        public static OrderedDictionary Changelog(string webhookEvent)
        {
            var items = string.Equals(webhookEvent, "jira:issue_updated", StringComparison.OrdinalIgnoreCase)
                ? new object[]
                {
                    Map("field", "status", "fieldtype", "jira", "fieldId", "status",
                        "from", "10001", "fromString", "Open", "to", "10002", "toString", "Waiting for support"),
                }
                : new object[0];
            return Map("id", "10150", "items", items);
        }

        private static readonly string[] Agent = { "5b10a2844c20165700ede21g", "Alex Agent", "alex.agent@example.com" };
        private static readonly string[] Reporter = { "5b10ac8d82e05b22cc7d4ef5", "Rita Reporter", "rita.reporter@example.com" };

        private static OrderedDictionary User(string[] who, string site) => Map(
            "self", site + "/rest/api/2/user?accountId=" + who[0],
            "accountId", who[0],
            "emailAddress", who[2],
            "avatarUrls", Map(
                "48x48", "https://secure.gravatar.com/avatar/" + who[0] + "?d=mm&s=48",
                "24x24", "https://secure.gravatar.com/avatar/" + who[0] + "?d=mm&s=24",
                "16x16", "https://secure.gravatar.com/avatar/" + who[0] + "?d=mm&s=16",
                "32x32", "https://secure.gravatar.com/avatar/" + who[0] + "?d=mm&s=32"),
            "displayName", who[1],
            "active", true,
            "timeZone", "Europe/Berlin",
            "accountType", "atlassian");

        private static string SiteOf(JiraProject project) =>
            project?.Url != null ? project.Url.GetLeftPart(UriPartial.Authority) : SiteUrl;

        internal static OrderedDictionary Map(params object[] pairs)
        {
            var map = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < pairs.Length; i += 2) map[(string)pairs[i]] = pairs[i + 1];
            return map;
        }
    }
}

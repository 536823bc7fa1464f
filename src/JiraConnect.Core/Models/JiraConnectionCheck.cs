using System;

namespace JiraConnect
{
    public enum JiraCheckStatus
    {
        Pass,
        /// <summary>Works, but something deserves attention.</summary>
        Warn,
        Fail,
        /// <summary>Not run because an earlier check failed.</summary>
        Skipped,
        /// <summary>Does not apply to this session or these inputs.</summary>
        NotApplicable,
    }

    /// <summary>The result of one check of a Jira connection.</summary>
    public sealed class JiraConnectionCheck
    {
        public JiraConnectionCheck(string name, JiraCheckStatus status, string detail, string remedy = null, string target = null)
        {
            Name = name;
            Status = status.ToString();
            Detail = detail;
            Remedy = remedy ?? string.Empty;
            Target = target;
        }

        /// <summary>Stable name of the check, such as Credentials or ProjectAccess.</summary>
        public string Name { get; }
        /// <summary>Pass, Warn, Fail, Skipped or NotApplicable (the names of <see cref="JiraCheckStatus"/>, as text so that JSON and CSV show them).</summary>
        public string Status { get; }
        /// <summary>True when the status is Fail.</summary>
        public bool Failed => Status == nameof(JiraCheckStatus.Fail);
        /// <summary>What was found.</summary>
        public string Detail { get; }
        /// <summary>What to do when the status is Warn or Fail; empty otherwise.</summary>
        public string Remedy { get; internal set; }
        /// <summary>A remedy with command lines, as data: the cmdlet layer writes it into <see cref="Remedy"/>.</summary>
        internal RemedyPlan RemedyPlan { get; set; }
        /// <summary>The site, listener URL or projects checked.</summary>
        public string Target { get; }
        public TimeSpan Duration { get; internal set; }

        public override string ToString() => DisplayText.Escape($"{Name}: {Status} - {Detail}");
    }
}

using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace JiraConnect.Diagnostics
{
    /// <summary>The one way to make a <see cref="JiraConnectionCheck"/> and to time it.</summary>
    internal static class Check
    {
        public static JiraConnectionCheck Pass(string name, string detail, string target) =>
            new JiraConnectionCheck(name, JiraCheckStatus.Pass, detail, target: target);

        public static JiraConnectionCheck Warn(string name, string detail, string remedy, string target) =>
            new JiraConnectionCheck(name, JiraCheckStatus.Warn, detail, remedy, target);

        public static JiraConnectionCheck Fail(string name, string detail, string remedy, string target) =>
            new JiraConnectionCheck(name, JiraCheckStatus.Fail, detail, remedy, target);

        /// <summary>Not run because an earlier check failed or an input is missing.</summary>
        public static JiraConnectionCheck Skipped(string name, string why, string target) =>
            new JiraConnectionCheck(name, JiraCheckStatus.Skipped, why, target: target);

        /// <summary>Does not apply to this session or these inputs.</summary>
        public static JiraConnectionCheck NotApplicable(string name, string why, string target) =>
            new JiraConnectionCheck(name, JiraCheckStatus.NotApplicable, why, target: target);

        /// <summary>Runs a check and records how long it took in <see cref="JiraConnectionCheck.Duration"/>.</summary>
        public static async Task<JiraConnectionCheck> TimedAsync(Func<Task<JiraConnectionCheck>> check)
        {
            var clock = Stopwatch.StartNew();
            var result = await check().ConfigureAwait(false);
            result.Duration = clock.Elapsed;
            return result;
        }
    }
}

using System.Linq;
using System.Text;

namespace JiraConnect.Commands
{
    /// <summary>Writes PowerShell text: arguments quoted as the parser needs, and the engine's remedies as command lines.</summary>
    internal static class CommandLineText
    {
        private static readonly char[] NeedsQuotes = { ' ', '\'', '"', '$', '`', ';', ',' };

        /// <summary>The value as one PowerShell argument: as is, or in single quotes when it holds a character the parser would act on.</summary>
        public static string Quote(string value) =>
            value.IndexOfAny(NeedsQuotes) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;

        /// <summary>Writes the check's remedy plan, if it has one, into its Remedy.</summary>
        public static JiraConnectionCheck WithRemedy(JiraConnectionCheck check)
        {
            if (check.RemedyPlan != null) check.Remedy = Render(check.RemedyPlan);
            return check;
        }

        /// <summary>Writes the result's remedy plan, if it has one, into its Remedy.</summary>
        public static JiraProjectAccess WithRemedy(JiraProjectAccess access)
        {
            if (access.RemedyPlan != null) access.Remedy = Render(access.RemedyPlan);
            return access;
        }

        public static string Render(RemedyPlan plan)
        {
            var text = new StringBuilder();
            foreach (var part in plan.Parts)
            {
                if (part is CommandLine line) text.Append(Render(line));
                else text.Append((string)part);
            }
            return text.ToString();
        }

        /// <summary>"Test-JiraProjectAccess -ProjectKey HR,IT | Where-Object { -not $_.Ready }".</summary>
        public static string Render(CommandLine line) => string.Join(" | ", line.Stages.Select(Render));

        private static string Render(CommandStage stage)
        {
            if (stage.Command == null) return "Where-Object { -not $_." + stage.FalseProperty + " }";
            var text = new StringBuilder(stage.Command);
            foreach (var parameter in stage.Parameters)
                text.Append(" -").Append(parameter.Key).Append(' ').Append(string.Join(",", parameter.Value.Select(Quote)));
            return text.ToString();
        }
    }
}

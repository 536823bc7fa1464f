using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using JiraConnect.Services;

namespace JiraConnect.Commands
{
    internal static class CompletionText
    {
        /// <summary>Trims the quotes the user typed and matches with a trailing wildcard.</summary>
        public static IEnumerable<CompletionResult> Complete(IEnumerable<string> candidates, string wordToComplete)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
            foreach (var candidate in candidates.Where(c => !string.IsNullOrEmpty(c) && pattern.IsMatch(c)))
            {
                yield return new CompletionResult(CommandLineText.Quote(candidate), candidate, CompletionResultType.ParameterValue, candidate);
            }
        }

        /// <summary>The first value of a bound parameter as text (a key typed as IT or 'IT', or the first of a list).</summary>
        public static string FirstValue(IDictionary fakeBoundParameters, string name)
        {
            if (fakeBoundParameters == null || !fakeBoundParameters.Contains(name)) return null;
            object value = fakeBoundParameters[name];
            value = value is PSObject ps ? ps.BaseObject : value;
            if (value is IEnumerable list && !(value is string)) value = list.Cast<object>().FirstOrDefault();
            value = value is PSObject inner ? inner.BaseObject : value;
            return value?.ToString().Trim('\'', '"');
        }

        public static JiraSession SessionFrom(IDictionary fakeBoundParameters)
        {
            if (fakeBoundParameters != null && fakeBoundParameters.Contains("Session"))
            {
                object value = fakeBoundParameters["Session"];
                value = value is PSObject ps ? ps.BaseObject : value;
                if (value is JiraSession s) return s;
                if (value is string name) return JiraSessionRegistry.Get(name.Trim('\'', '"'));
            }
            return JiraSessionRegistry.Default;
        }
    }

    /// <summary>Completes session names.</summary>
    public sealed class SessionNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionText.Complete(JiraSessionRegistry.GetAll().Select(s => s.Name), wordToComplete);
    }

    /// <summary>
    /// Completes -Role: the project roles the session has read, else those of the project in -ProjectKey (read once,
    /// within 5 s), else the well-known Administrators, Developers and Users.
    /// </summary>
    public sealed class RoleNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var session = CompletionText.SessionFrom(fakeBoundParameters);
            IReadOnlyList<string> names = JiraRoleDirectory.GetRoleNamesForCompletion(session);
            if (ReferenceEquals(names, JiraRoleDirectory.WellKnownRoleNames) && session != null && !session.IsClosed
                && CompletionText.FirstValue(fakeBoundParameters, "ProjectKey") is string key && !string.IsNullOrEmpty(key))
            {
                try
                {
                    using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                    {
                        var read = JiraRoleDirectory.ReadRoleNamesAsync(session, key, timeout.Token).GetAwaiter().GetResult();
                        if (read.Count > 0) names = read;
                    }
                }
                catch (Exception)
                {
                    // Completion must never throw into the user's prompt: fall back to the well-known names.
                }
            }
            return CompletionText.Complete(names, wordToComplete).ToList();
        }
    }

    /// <summary>Completes project keys from the session's projects (cached for a few minutes).</summary>
    public sealed class ProjectKeyCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var session = CompletionText.SessionFrom(fakeBoundParameters);
            if (session == null || session.IsClosed) return Enumerable.Empty<CompletionResult>();
            try
            {
                using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                {
                    var keys = JiraProjectService.GetKeysForCompletionAsync(session, timeout.Token).GetAwaiter().GetResult();
                    return CompletionText.Complete(keys, wordToComplete).ToList();
                }
            }
            catch (Exception)
            {
                // Completion must never throw into the user's prompt.
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}

namespace JiraConnect.Commands
{
    /// <summary>Completes the classic Jira scopes of the connector guide.</summary>
    public sealed class OAuthScopeCompleter : IArgumentCompleter
    {
        private static readonly string[] Scopes =
        {
            "read:jira-work", "write:jira-work", "read:jira-user", "offline_access", "manage:jira-configuration",
            "manage:jira-project", "manage:jira-automation", "manage:jira-webhook", "read:me",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) => CompletionText.Complete(Scopes, wordToComplete);
    }
}

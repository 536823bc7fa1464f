using System;
using System.Collections.Generic;
using System.Linq;

namespace JiraConnect
{
    /// <summary>
    /// What to do next, as data: sentences and PowerShell command lines. The engine builds it; the cmdlet layer
    /// writes it out as the Remedy text (and quotes arguments the way PowerShell needs).
    /// </summary>
    internal sealed class RemedyPlan
    {
        public RemedyPlan(params object[] parts)
        {
            if (parts.Any(p => !(p is string) && !(p is CommandLine))) throw new ArgumentException("A remedy is made of text and command lines.", nameof(parts));
            Parts = parts;
        }

        /// <summary>Each part is a <see cref="string"/> (written as is) or a <see cref="CommandLine"/>.</summary>
        public IReadOnlyList<object> Parts { get; }
    }

    /// <summary>A PowerShell pipeline: commands with named parameters, and filters.</summary>
    internal sealed class CommandLine
    {
        public CommandLine(params CommandStage[] stages)
        {
            Stages = stages;
        }

        public IReadOnlyList<CommandStage> Stages { get; }

        /// <summary>This pipeline with one more stage at its end.</summary>
        public CommandLine Then(CommandStage stage) => new CommandLine(Stages.Concat(new[] { stage }).ToArray());
    }

    /// <summary>One stage of a <see cref="CommandLine"/>: a command and its parameters, or a filter on a boolean property.</summary>
    internal sealed class CommandStage
    {
        private readonly List<KeyValuePair<string, string[]>> _parameters = new List<KeyValuePair<string, string[]>>();

        private CommandStage(string command, string falseProperty)
        {
            Command = command;
            FalseProperty = falseProperty;
        }

        /// <summary>A command; add its parameters with <see cref="With"/>.</summary>
        public static CommandStage Run(string command) => new CommandStage(command, null);

        /// <summary>Keeps the objects whose boolean <paramref name="property"/> is false.</summary>
        public static CommandStage WhereNot(string property) => new CommandStage(null, property);

        /// <summary>The command's name; null for a filter.</summary>
        public string Command { get; }

        /// <summary>For a filter: the property that must be false.</summary>
        public string FalseProperty { get; }

        /// <summary>Named parameters in order; a parameter with several values takes them as an array.</summary>
        public IReadOnlyList<KeyValuePair<string, string[]>> Parameters => _parameters;

        /// <summary>Adds a named parameter (values as given, unquoted); a null or empty value list adds nothing.</summary>
        public CommandStage With(string parameter, params string[] values)
        {
            if (values != null && values.Length > 0 && values.All(v => v != null)) _parameters.Add(new KeyValuePair<string, string[]>(parameter, values));
            return this;
        }
    }
}

using System.Globalization;

namespace AtlassianEmulator;

/// <summary>Parsed command line: <c>--port N --projects N --issues N --flavor cloud|datacenter --burst-limit N [--ignore-stdin]</c>.</summary>
internal sealed record CommandLine(EmulatorOptions Options, bool IgnoreStandardInput)
{
    public const string Usage =
        "usage: AtlassianEmulator [--port 0] [--projects 25] [--issues 120] [--flavor cloud|datacenter] [--burst-limit 0] [--ignore-stdin]";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new EmulatorOptions();
        var ignoreStdin = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name.ToLowerInvariant())
            {
                case "--port":
                    options.Port = Number(args, ref i);
                    break;
                case "--projects":
                    options.Projects = Number(args, ref i);
                    break;
                case "--issues":
                    options.Issues = Number(args, ref i);
                    break;
                case "--flavor":
                    options.Flavor = Value(args, ref i).ToLowerInvariant() switch
                    {
                        "cloud" => EmulatorFlavor.Cloud,
                        "datacenter" or "data-center" or "dc" => EmulatorFlavor.DataCenter,
                        var other => throw new ArgumentException($"Unknown flavor '{other}': use cloud or datacenter."),
                    };
                    break;
                case "--burst-limit":
                    options.BurstLimit = Number(args, ref i);
                    break;
                case "--ignore-stdin":
                    ignoreStdin = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        options.Validate();
        return new CommandLine(options, ignoreStdin);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        return ++i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value.");
    }

    private static int Number(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} needs a non-negative integer, not '{text}'.");
    }
}

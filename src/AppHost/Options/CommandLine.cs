using System.Reflection;

namespace Bridge.AppHost.Options;

/// <summary>
/// Turns the user's switches into keys of the <see cref="BridgeOptions.Section"/> configuration section, which Aspire's
/// command-line provider then reads (<c>--port-offset 100</c> → <c>--Bridge:PortOffset=100</c>). Arguments Aspire itself
/// takes (<c>--Section:Key=value</c>, as the testing builder passes) go through unchanged.
/// </summary>
public sealed record CommandLine(string[] AspireArgs, EarlyExit? Exit)
{
    private static readonly Dictionary<string, string> ValueOptions = new(StringComparer.Ordinal)
    {
        ["--teacher"] = nameof(BridgeOptions.Teacher),
        ["--port-offset"] = nameof(BridgeOptions.PortOffset),
        ["--data-dir"] = nameof(BridgeOptions.DataDirectory),
    };

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var aspireArgs = new List<string>();
        var without = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            switch (name)
            {
                case "-h" or "--help" or "-?":
                    return new CommandLine([], EarlyExit.Help());

                case "--no-broker":
                    aspireArgs.Add($"--{BridgeOptions.Section}:{nameof(BridgeOptions.NoBroker)}=true");
                    break;

                case "--without" or "--teacher" or "--port-offset" or "--data-dir":
                    var value = inlineValue ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        return new CommandLine([], EarlyExit.Usage($"{name} needs a value."));
                    }

                    var key = name == "--without" ? $"{nameof(BridgeOptions.Without)}:{without++}" : ValueOptions[name];
                    aspireArgs.Add($"--{BridgeOptions.Section}:{key}={value}");
                    break;

                case var _ when name.Contains(':', StringComparison.Ordinal)
                    || name.StartsWith("--environment", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase):
                    aspireArgs.Add(args[i]);
                    break;

                default:
                    return new CommandLine([], EarlyExit.Usage($"unknown option '{args[i]}'."));
            }
        }

        // appsettings.json (the dashboard's settings) is read from the content root, which is otherwise the current
        // directory: 'dotnet AppHost.dll' from anywhere must find it as 'dotnet run' does.
        if (!aspireArgs.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) && ProjectDirectory() is { } directory)
        {
            aspireArgs.Add($"--contentRoot={directory}");
        }

        return new CommandLine([.. aspireArgs], null);
    }

    private static string? ProjectDirectory() =>
        typeof(CommandLine).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "apphostprojectpath")?.Value is { } path && Directory.Exists(path) ? path : null;

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }
}

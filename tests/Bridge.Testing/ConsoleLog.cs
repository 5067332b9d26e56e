namespace Bridge.Testing;

/// <summary>One console shared by a test or benchmark and the services it starts: every line carries a coloured
/// <c>[service]</c> prefix, and lines from different processes never interleave mid-line. Without
/// <paramref name="echoServiceOutput"/> the children's lines are only kept by their <see cref="ServiceProcess"/>
/// (tests and benchmarks that report failures themselves).</summary>
public sealed class ConsoleLog(bool echoServiceOutput = true)
{
    private const string HostName = "stack";

    /// <summary>Keeps the services' lines for failure messages and echoes none (tests, and benchmarks that print tables).</summary>
    public static readonly ConsoleLog Quiet = new(echoServiceOutput: false);

    private readonly Lock gate = new();
    private readonly bool useColour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null
        || Environment.GetEnvironmentVariable("FORCE_COLOR") is not null;

    public void Info(string message) => Write(Console.Out, HostName, ConsoleColor.Green, message);

    public void Warn(string message) => Write(Console.Out, HostName, ConsoleColor.DarkYellow, message);

    public void Error(string message) => Write(Console.Error, HostName, ConsoleColor.Red, message);

    public void Service(ServiceDefinition service, string line)
    {
        if (echoServiceOutput)
        {
            Write(Console.Out, service.Name, service.Colour, line);
        }
    }

    private void Write(TextWriter writer, string prefix, ConsoleColor colour, string message)
    {
        var label = $"[{prefix}]".PadRight(13);
        lock (gate)
        {
            foreach (var line in message.Split('\n'))
            {
                writer.WriteLine(useColour ? $"\u001b[{AnsiCode(colour)}m{label}\u001b[0m {line.TrimEnd('\r')}" : $"{label} {line.TrimEnd('\r')}");
            }

            writer.Flush();
        }
    }

    private static int AnsiCode(ConsoleColor colour) => colour switch
    {
        ConsoleColor.Red => 91,
        ConsoleColor.Green => 92,
        ConsoleColor.Yellow => 93,
        ConsoleColor.Blue => 94,
        ConsoleColor.Magenta => 95,
        ConsoleColor.Cyan => 96,
        ConsoleColor.DarkYellow => 33,
        ConsoleColor.DarkGray => 90,
        _ => 97,
    };
}

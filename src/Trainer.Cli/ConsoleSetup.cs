using System.Globalization;
using Spectre.Console;

namespace Trainer.Cli;

public static class ConsoleSetup
{
    /// <summary>Redirected output (a log file, CI, a pipe) has no window width; Spectre would wrap at 80 columns and split
    /// addresses and messages across lines. Use <c>COLUMNS</c> when set, else a wide line.</summary>
    public static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var columns) && columns > 20 ? columns : 200;
        }

        return console;
    }
}

using Bridge.AppHost;

// A hand-written stand-in for an Aspire AppHost (Aspire.Hosting is not on this NuGet feed): it builds the three
// services, wires them with Aspire's environment variables, and owns their lifetime. See docs/apphost.md.
var parsed = AppHostOptions.Parse(args);
if (parsed.Error is not null)
{
    Console.Error.WriteLine($"apphost: {parsed.Error}");
    Console.Error.WriteLine("Run with --help to see the options.");
    return ExitCodes.Usage;
}

if (parsed.ShowHelp)
{
    Console.WriteLine(AppHostOptions.HelpText);
    return ExitCodes.Ok;
}

var console = new ConsoleLog();
var layout = SolutionLayout.TryLocate();
if (layout is null)
{
    console.Error("cannot find Bridge.sln above the AppHost's build output or the current directory.");
    return ExitCodes.Failed;
}

using var shutdown = new ShutdownSignal();

return await new AppHostRunner(parsed.Options, layout, console) { ForceStop = shutdown.ForceToken }.RunAsync(shutdown.Token);

using System.Runtime.InteropServices;
using Spectre.Console;
using Trainer.Cli;
using Trainer.Cli.Arguments;
using Trainer.Cli.Export;
using Trainer.Cli.Middleware;
using Trainer.Cli.Training;

if (args is [ExportCommand.Name, .. var exportArgs])
{
    await using var stdout = Console.OpenStandardOutput();
    return await ExportCommand.RunAsync(exportArgs, Environment.GetEnvironmentVariable, stdout, Console.Error, CancellationToken.None);
}

var parsed = ArgumentParser.Parse(args, Environment.GetEnvironmentVariable);
if (parsed.Arguments is not { } arguments)
{
    Console.Error.WriteLine($"error: {parsed.Error}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(ArgumentParser.Usage);
    return ExitCodes.Usage;
}

if (arguments.ShowHelp)
{
    Console.WriteLine(ArgumentParser.Usage);
    return ExitCodes.Success;
}

// Ctrl+C (SIGINT) and SIGTERM stop the session through the control API instead of killing the trainer mid-call.
using var interrupt = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

using var http = MiddlewareClient.CreateHttpClient(arguments.Middleware, arguments.ApiKey);
var console = ConsoleSetup.Create(Console.Out, Console.IsOutputRedirected);
var run = new TrainingRun(new MiddlewareClient(http), console, TimeProvider.System);
try
{
    var outcome = await run.RunAsync(arguments, interrupt.Token);
    console.Write(SummaryTable.Build(outcome));
    return outcome.Result switch
    {
        RunResult.Completed or RunResult.Stopped => ExitCodes.Success,
        RunResult.Interrupted => ExitCodes.Interrupted,
        _ => ExitCodes.Failure,
    };
}
catch (MiddlewareException ex)
{
    ConsoleSetup.Create(Console.Error, Console.IsErrorRedirected).MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
    return ExitCodes.Failure;
}

// The first Ctrl+C stops the session cleanly; a second one while that is under way ends the trainer at once.
void Interrupt(PosixSignalContext context)
{
    context.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
}

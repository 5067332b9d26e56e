using Ops.Tests.Infrastructure;

namespace Ops.Tests.Trainer;

/// <summary>Runs the built trainer (<c>dotnet Trainer.Cli.dll</c>) as a user would run <c>dotnet run --project src/Trainer.Cli</c>.</summary>
public static class TrainerCli
{
    public static ProcessRunner Start(params string[] arguments) =>
        ProcessRunner.Start("dotnet", [SolutionLayout.Current.EntryAssembly("Trainer.Cli"), .. arguments], environment: new Dictionary<string, string?>
        {
            // The environment must not leak a middleware address or key into the trainer under test.
            ["BRIDGE_MIDDLEWARE_URL"] = null,
            ["MIDDLEWARE_API_KEY"] = null,
            ["COLUMNS"] = "200",
        });

    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(arguments);
        (await process.WaitForExitAsync(timeout)).ShouldBeTrue($"trainer did not exit within {timeout.TotalSeconds} s:\n{process.Output}");
        return (process.ExitCode, process.Output);
    }
}

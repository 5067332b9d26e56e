using System.Diagnostics;

namespace Middleware.Tests;

/// <summary>The real <c>Middleware.dll --uninstall</c>, as a user runs it.</summary>
public sealed class UninstallCommandTests
{
    [Fact]
    public async Task Uninstall_without_a_broker_says_there_is_nothing_to_remove_and_exits_zero()
    {
        var run = await RunUninstallAsync(new Dictionary<string, string?> { ["ConnectionStrings__rabbitmq"] = null });

        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("no broker topology to remove");
        // It did not start serving: no database was created.
        run.CreatedDataDirectory.ShouldBeFalse();
    }

    [Fact]
    public async Task Uninstall_against_a_broker_that_is_not_there_fails_with_a_message_instead_of_hanging()
    {
        var run = await RunUninstallAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{Doubles.PeerDouble.UnusedPort()}/",
            ["Middleware__RabbitMqManagementUrl"] = $"http://127.0.0.1:{Doubles.PeerDouble.UnusedPort()}",
        });

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("could not be reached");
    }

    /// <summary>Runs the command in a fresh temp directory (a null value removes an inherited variable) and deletes it after.</summary>
    private static async Task<UninstallRun> RunUninstallAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Middleware.dll");
        File.Exists(dll).ShouldBeTrue();
        var workDir = Directory.CreateTempSubdirectory("bridge-uninstall-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", [dll, "--uninstall"])
            {
                WorkingDirectory = workDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    start.Environment.Remove(name);
                }
                else
                {
                    start.Environment[name] = value;
                }
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return new UninstallRun(process.ExitCode, await output, await error, Directory.Exists(Path.Combine(workDir, "data")));
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    private sealed record UninstallRun(int ExitCode, string Output, string Error, bool CreatedDataDirectory);
}

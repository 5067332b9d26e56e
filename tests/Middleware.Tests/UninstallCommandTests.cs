using System.Diagnostics;

namespace Middleware.Tests;

/// <summary>The real <c>Middleware.dll --uninstall</c>, as a user runs it.</summary>
public sealed class UninstallCommandTests
{
    [Fact]
    public async Task Uninstall_without_a_broker_says_there_is_nothing_to_remove_and_exits_zero()
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
            start.Environment.Remove("ConnectionStrings__rabbitmq");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            process.ExitCode.ShouldBe(0);
            (await output).ShouldContain("no broker topology to remove");
            // It did not start serving: no database was created.
            Directory.Exists(Path.Combine(workDir, "data")).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    [Fact]
    public async Task Uninstall_against_a_broker_that_is_not_there_fails_with_a_message_instead_of_hanging()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Middleware.dll");
        var workDir = Directory.CreateTempSubdirectory("bridge-uninstall-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", [dll, "--uninstall"])
            {
                WorkingDirectory = workDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ConnectionStrings__rabbitmq"] = $"amqp://guest:guest@127.0.0.1:{Doubles.PeerDouble.UnusedPort()}/";
            start.Environment["Middleware__RabbitMqManagementUrl"] = $"http://127.0.0.1:{Doubles.PeerDouble.UnusedPort()}";
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            process.ExitCode.ShouldBe(1);
            (await error).ShouldContain("could not be reached");
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }
}

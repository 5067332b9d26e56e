using System.Diagnostics;
using System.Text;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>The built AppHost run as a user runs it (<c>dotnet AppHost.dll ...</c>), on a free port offset and a
/// temporary data directory, so it never meets a developer's stack on 8000-8002 / 18888.</summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private readonly Lock gate = new();
    private readonly Process process;
    private readonly TempDirectory dataDirectory = new("apphost");

    private AppHostProcess(int portOffset, IEnumerable<string> arguments)
    {
        PortOffset = portOffset;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = dataDirectory.Path,
        };
        startInfo.ArgumentList.Add(Path.Combine(SolutionLayout.Current.RepositoryRoot, "src", "AppHost", "bin", SolutionLayout.Current.Configuration, SolutionLayout.Current.TargetFramework, "AppHost.dll"));
        foreach (var argument in new[] { "--port-offset", portOffset.ToString(), "--data-dir", dataDirectory.Path }.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("ConnectionStrings__rabbitmq");
        startInfo.Environment["NO_COLOR"] = "1";
        // Ctrl+C must reach it as it would from a user's terminal, even when the tests run from a script's background job.
        process = new Process { StartInfo = startInfo.WithDefaultInterrupt() };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int PortOffset { get; }

    public int ProcessId => process.Id;

    public int ExitCode => process.ExitCode;

    public string DataDirectory => dataDirectory.Path;

    public string Output
    {
        get
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    public static AppHostProcess Start(int portOffset, params string[] arguments) => new(portOffset, arguments);

    /// <summary>Runs the AppHost to its exit (options it refuses, a taken port): its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(int portOffset, params string[] arguments)
    {
        await using var host = Start(portOffset, arguments);
        (await host.WaitForExitAsync(TimeSpan.FromSeconds(90))).ShouldBeTrue($"the AppHost did not exit:\n{host.Output}");
        return (host.ExitCode, host.Output);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Ctrl+C as <c>kill -INT</c> delivers it: to the AppHost alone, not to its children.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString()]);
        await kill.WaitForExitAsync();
        kill.ExitCode.ShouldBe(0);
    }

    /// <summary>
    /// Every live process this AppHost started: the services and the broker node carry its data directory in their
    /// environment, DCP names the AppHost's pid on its command line. epmd is left out: Erlang's port mapper daemon is
    /// shared by every node on the machine and meant to outlive them.
    /// </summary>
    public IReadOnlyList<string> Descendants()
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId || pid == process.Id)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var environment = File.ReadAllText(Path.Combine(directory, "environ"));
                var state = File.ReadAllText(Path.Combine(directory, "stat"));
                if (state.Contains(") Z ", StringComparison.Ordinal) || commandLine.Contains("epmd", StringComparison.Ordinal))
                {
                    continue;
                }

                if (environment.Contains(dataDirectory.Path, StringComparison.Ordinal)
                    || commandLine.Contains($"--monitor {process.Id} ", StringComparison.Ordinal))
                {
                    found.Add($"{pid} {commandLine[..Math.Min(120, commandLine.Length)]}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM first: the AppHost then stops DCP and everything it runs, as on a normal shutdown.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()]))
            {
                await term.WaitForExitAsync();
            }

            if (!await WaitForExitAsync(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }

        process.Dispose();
        dataDirectory.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            output.AppendLine(line);
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>The built AppHost run as a user runs it (<c>dotnet AppHost.dll ...</c>), with a port offset onto a free
/// range and a temporary data directory, so it never meets a developer's stack on 8000-8002.</summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private readonly Lock gate = new();
    private readonly Process process;
    private readonly TempDirectory dataDirectory = new("apphost");

    private AppHostProcess(int basePort, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        BasePort = basePort;
        // A process started from a script with '&' inherits SIGINT as ignored, and .NET then never sees Ctrl+C.
        // A user's terminal does not do that, so the AppHost is started with SIGINT at its default, as a user's would be.
        var startInfo = new ProcessStartInfo(DefaultSignalWrapper ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = dataDirectory.Path,
        };
        if (DefaultSignalWrapper is not null)
        {
            startInfo.ArgumentList.Add("--default-signal=INT");
            startInfo.ArgumentList.Add("dotnet");
        }

        startInfo.ArgumentList.Add(Path.Combine(BuildOutput.RepositoryRoot, "src", "AppHost", "bin", BuildOutput.Configuration, BuildOutput.TargetFramework, "AppHost.dll"));
        foreach (var argument in new[] { "--no-build", "--port-offset", (basePort - 8000).ToString(), "--data-dir", dataDirectory.Path }.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("ConnectionStrings__rabbitmq");
        startInfo.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int BasePort { get; }

    /// <summary>coreutils' env (8.31+) resets an inherited ignored SIGINT before it runs the command.</summary>
    private static string? DefaultSignalWrapper { get; } = OperatingSystem.IsLinux() && File.Exists("/usr/bin/env") ? "/usr/bin/env" : null;

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

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

    /// <summary>The children's process ids, from the AppHost's "started &lt;service&gt; (pid N)" lines.</summary>
    public IReadOnlyDictionary<string, int> ChildProcessIds =>
        StartedLine().Matches(Output).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));

    public static AppHostProcess Start(int basePort, params string[] arguments) => new(basePort, arguments, null);

    public static AppHostProcess Start(int basePort, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        new(basePort, arguments, environment);

    /// <summary>The environment a running process was started with, from <c>/proc/&lt;pid&gt;/environ</c>.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(int processId) =>
        File.ReadAllText($"/proc/{processId}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var poll = 0; stopwatch.Elapsed < timeout && poll < 10_000; poll++)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            if (HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        Output.ShouldContain(text, customMessage: $"the AppHost did not print '{text}' within {timeout.TotalSeconds:0} s");
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

    public static bool IsAlive(int processId) =>
        File.Exists($"/proc/{processId}/stat") && !File.ReadAllText($"/proc/{processId}/stat").Contains(") Z ", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        var children = ChildProcessIds.Values.ToList();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        // A failed test must not leave services behind either.
        foreach (var child in children.Where(IsAlive))
        {
            try
            {
                Process.GetProcessById(child).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
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

    [GeneratedRegex(@"started (\w+) \(pid (\d+)\)")]
    private static partial Regex StartedLine();
}

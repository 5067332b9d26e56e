using System.Diagnostics;
using System.Text;

namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>
/// A Bridge service started as the user runs it: <c>dotnet &lt;Service&gt;.dll --urls http://127.0.0.1:&lt;port&gt;</c>
/// in its own working directory, with environment variables for its wiring. Its output is captured so a failing
/// test can say what the service printed, and the process tree is always killed on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder output = new();
    private readonly Lock outputGate = new();
    private readonly IReadOnlyDictionary<string, string?> environment;
    private Process? process;

    public ServiceProcess(string project, int port, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        Project = project;
        Port = port;
        WorkingDirectory = workingDirectory;
        this.environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Project { get; }

    public int Port { get; }

    public string WorkingDirectory { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => process?.Id ?? throw new InvalidOperationException($"{Project} has not been started.");

    public bool HasExited => process is null || process.HasExited;

    public string Output
    {
        get
        {
            lock (outputGate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The last lines the service printed, for assertion messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    public static async Task<ServiceProcess> StartAsync(
        string project, int port, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var service = new ServiceProcess(project, port, workingDirectory, environment);
        try
        {
            service.Start();
            await service.WaitUntilHealthyAsync(timeout ?? DefaultStartTimeout);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public void Start()
    {
        if (process is { HasExited: false })
        {
            throw new InvalidOperationException($"{Project} is already running.");
        }

        process?.Dispose();
        Directory.CreateDirectory(WorkingDirectory);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add(BuildOutput.EntryAssembly(Project));
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));

        // Nothing of the test run's own environment may leak into the wiring under test.
        foreach (var name in new[] { "ConnectionStrings__rabbitmq", "services__cerebrum__http__0", "services__llmserver__http__0", "ASPNETCORE_URLS", "BRIDGE_CONFIG" })
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_CONTENTROOT"] = BuildOutput.ProjectDirectory(Project);
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var child = new Process { StartInfo = startInfo };
        child.OutputDataReceived += (_, e) => Append(e.Data);
        child.ErrorDataReceived += (_, e) => Append(e.Data);
        child.Start();
        child.StandardInput.Close();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        process = child;
        Append($"--- started pid {child.Id} ---");
    }

    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(BaseAddress, "/health");
        var stopwatch = Stopwatch.StartNew();
        for (var attempt = 0; stopwatch.Elapsed < timeout && attempt < 10_000; attempt++)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Project} exited with code {process?.ExitCode} before it became healthy:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Project} did not answer {health} within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>SIGKILL, as a crash or power loss would: no shutdown code runs.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10)).ShouldBeTrue($"{Project} did not die within 10 s of SIGKILL.");
        }
    }

    /// <summary>Kills the process (if still running) and starts it again on the same port and working directory.</summary>
    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        Kill();
        Start();
        await WaitUntilHealthyAsync(timeout ?? DefaultStartTimeout);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputGate)
        {
            output.AppendLine(line);
        }
    }
}

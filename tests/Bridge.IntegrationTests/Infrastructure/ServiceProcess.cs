using Bridge.Testing;
using HostedService = Bridge.Testing.ServiceProcess;

namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>
/// A Bridge service started as the user runs it: <c>dotnet &lt;Service&gt;.dll --urls http://127.0.0.1:&lt;port&gt;</c>
/// in its own working directory, with environment variables for its wiring. The process itself is Bridge.Testing's
/// <see cref="HostedService"/>; this adds what the tests need on top: a fixed port and directory so the service can be
/// killed and restarted in place, SIGKILL on dispose, and its output across restarts for failure messages.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    // The tests print what they need in their assertion messages; the services' lines are kept, not echoed.
    private static readonly ConsoleLog Quiet = new(echoServiceOutput: false);
    private readonly ServiceLaunch launch;
    private readonly List<string> earlierRuns = [];
    private HostedService? current;

    private ServiceProcess(string project, int port, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        Project = project;
        Port = port;
        WorkingDirectory = workingDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var url = BaseAddress.ToString().TrimEnd('/');

        // Nothing of the test run's own environment may leak into the wiring under test.
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__rabbitmq"] = null,
            ["services__cerebrum__http__0"] = null,
            ["services__llmserver__http__0"] = null,
            ["ASPNETCORE_URLS"] = null,
            ["BRIDGE_CONFIG"] = null,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_CONTENTROOT"] = BuildOutput.ProjectDirectory(project),
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        var service = ServiceCatalog.All.Single(s => s.ProjectName == project);
        launch = new ServiceLaunch(service, BuildOutput.EntryAssembly(project), BuildOutput.ProjectDirectory(project), workingDirectory,
            BaseAddress, variables) { Arguments = ["--urls", url] };
    }

    public string Project { get; }

    public int Port { get; }

    public string WorkingDirectory { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => current?.ProcessId ?? throw new InvalidOperationException($"{Project} has not been started.");

    public bool HasExited => current is null || current.Exited.IsCompleted;

    /// <summary>Every run's last lines, oldest run first.</summary>
    public string Output => string.Join('\n', earlierRuns.Concat(current is null ? [] : [Describe(current)]));

    /// <summary>The last lines the service printed, for assertion messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    public static async Task<ServiceProcess> StartAsync(
        string project, int port, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var service = new ServiceProcess(project, port, workingDirectory, environment);
        try
        {
            await service.LaunchAsync(timeout ?? DefaultStartTimeout);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL, as a crash or power loss would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (current is not null)
        {
            (await current.KillAsync(KillTimeout)).ShouldBeTrue($"{Project} did not die within {KillTimeout.TotalSeconds:0} s of SIGKILL.");
        }
    }

    /// <summary>Kills the process (if still running) and starts it again on the same port and working directory.</summary>
    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        await KillAsync();
        await LaunchAsync(timeout ?? DefaultStartTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (current is not null)
        {
            await current.DisposeAsync();
        }
    }

    private static string Describe(HostedService run) =>
        string.Join('\n', [$"--- started pid {run.ProcessId} ---", .. run.RecentOutput]);

    private async Task LaunchAsync(TimeSpan timeout)
    {
        if (current is not null)
        {
            earlierRuns.Add(Describe(current));
            await current.DisposeAsync();
            current = null;
        }

        try
        {
            current = await HostedService.StartHealthyAsync(launch, Quiet, timeout);
        }
        catch (ServiceStartException ex)
        {
            earlierRuns.Add(Describe(ex.ServiceProcess));
            throw new InvalidOperationException($"{ex.Message}\n{Tail()}", ex);
        }
    }
}

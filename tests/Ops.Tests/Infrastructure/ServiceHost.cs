using Bridge.Testing;

namespace Ops.Tests.Infrastructure;

/// <summary>
/// One Bridge service run as a user runs it: <c>dotnet &lt;Service&gt;.dll --urls http://127.0.0.1:PORT</c>, in its own
/// working directory, started only once it answers <c>/health</c>. The process is Bridge.Testing's
/// <see cref="ServiceProcess"/>; this adds the test wiring (free port, no inherited configuration) and SIGKILL on dispose.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // Failures are reported through Output in the assertion messages; the services' lines are kept, not echoed.
    private static readonly ConsoleLog Quiet = new(echoServiceOutput: false);
    private readonly ServiceProcess _process;

    private ServiceHost(string project, ServiceProcess process)
    {
        Project = project;
        _process = process;
    }

    public string Project { get; }

    public Uri Address => _process.Url;

    public string Output => string.Join('\n', _process.RecentOutput);

    public bool HasExited => _process.Exited.IsCompleted;

    public static async Task<ServiceHost> StartAsync(string project, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var address = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // A child must not inherit the test host's own configuration (e.g. a developer's ASPNETCORE_URLS).
            ["ASPNETCORE_URLS"] = null,
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["ConnectionStrings__rabbitmq"] = null,
            ["DOTNET_ENVIRONMENT"] = null,
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["NO_COLOR"] = "1",
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        // The content root is the project folder, as with `dotnet run`, so the middleware serves src/Middleware/wwwroot.
        var contentRoot = Repository.PathOf("src", project);
        variables["ASPNETCORE_CONTENTROOT"] = contentRoot;
        variables["services__cerebrum__http__0"] = environment.GetValueOrDefault("services__cerebrum__http__0");
        variables["services__llmserver__http__0"] = environment.GetValueOrDefault("services__llmserver__http__0");
        variables["BRIDGE_CONFIG"] = Path.Combine(workingDirectory, "no-config.json");

        var service = ServiceCatalog.All.Single(s => s.ProjectName == project);
        var launch = new ServiceLaunch(service, Repository.DllOf(project), contentRoot, workingDirectory, address, variables)
        {
            Arguments = ["--urls", address.ToString().TrimEnd('/')],
        };
        try
        {
            return new ServiceHost(project, await ServiceProcess.StartHealthyAsync(launch, Quiet, StartTimeout));
        }
        catch (ServiceStartException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{string.Join('\n', ex.ServiceProcess.RecentOutput)}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // SIGKILL: the tests own the data directory and delete it next, so there is nothing to shut down cleanly.
        await _process.KillAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
    }
}

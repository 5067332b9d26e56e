using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bridge.Testing.Broker;

/// <summary>What a <see cref="ScratchStack"/> runs.</summary>
public sealed record ScratchStackOptions
{
    /// <summary><c>ConnectionStrings__rabbitmq</c> for Middleware and LlmServer (never Cerebrum); null = HTTP mode.</summary>
    public string? BrokerConnectionString { get; init; }

    /// <summary>The broker's management API, given to the middleware (<c>Middleware__RabbitMqManagementUrl</c>) so that
    /// topology removal can list every <c>bridge*</c> entity; null leaves the middleware's default.</summary>
    public Uri? BrokerManagementUri { get; init; }

    public int LlmServerReplicas { get; init; } = 1;

    /// <summary><c>Teacher__Chain</c>; <c>embedded</c> so nothing depends on a model being installed.</summary>
    public string Teacher { get; init; } = "embedded";

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Extra variables for every service (e.g. log levels for a benchmark).</summary>
    public IReadOnlyDictionary<string, string?> ExtraEnvironment { get; init; } = new Dictionary<string, string?>();
}

/// <summary>
/// A whole Bridge for a test or a benchmark: the three services as real processes, wired with the AppHost's variables (<see cref="ServiceWiring"/>, <see cref="ServiceProcess"/>), but on a free block of ports, in a
/// scratch directory that is deleted afterwards, and with LlmServer optionally running as several replicas.
/// </summary>
public sealed class ScratchStack : IAsyncDisposable
{
    private readonly ServiceWiring wiring;
    private readonly ScratchStackOptions options;
    private readonly ConsoleLog console;
    private readonly string dataDirectory;
    private readonly List<ServiceProcess> processes = [];
    private readonly List<ServiceProcess> llmServers = [];

    private ScratchStack(ServiceWiring wiring, ScratchStackOptions options, ConsoleLog console, string dataDirectory)
    {
        this.wiring = wiring;
        this.options = options;
        this.console = console;
        this.dataDirectory = dataDirectory;
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public ServiceProcess Cerebrum { get; private set; } = null!;

    public ServiceProcess Middleware { get; private set; } = null!;

    public IReadOnlyList<ServiceProcess> LlmServers => llmServers;

    public static async Task<ScratchStack> StartAsync(ScratchStackOptions options, ConsoleLog console, CancellationToken cancellationToken = default)
    {
        var layout = SolutionLayout.TryLocate() ?? throw new InvalidOperationException("Cannot find Bridge.sln above the build output.");
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"bridge-scratch-{Guid.NewGuid():N}");
        var wiringOptions = new WiringOptions(options.Teacher, FreePortOffset(), options.BrokerConnectionString);
        var stack = new ScratchStack(new ServiceWiring(layout, wiringOptions, dataDirectory), options, console, dataDirectory);
        try
        {
            stack.Cerebrum = stack.Start(stack.LaunchFor(ServiceCatalog.Cerebrum), cancellationToken);
            for (var replica = 0; replica < options.LlmServerReplicas; replica++)
            {
                stack.llmServers.Add(stack.Start(stack.LlmServerReplica(replica), cancellationToken));
            }

            stack.Middleware = stack.Start(stack.LaunchFor(ServiceCatalog.Middleware), cancellationToken);
            await Task.WhenAll(stack.processes.Select(p => p.WaitUntilHealthyAsync(stack.Http, options.StartupTimeout, cancellationToken)));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a training session (<c>delay</c> in seconds) and returns its id; throws with the answer on anything but 202.</summary>
    public async Task<string> StartSessionAsync(int maxExchanges, double delay, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsJsonAsync(
            new Uri(Middleware.Url, "/api/training/start"), new { max_exchanges = maxExchanges, delay }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/training/start answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)?["session_id"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"POST /api/training/start answered without a session_id: {body}");
    }

    /// <summary>The session as <c>GET /api/training/sessions</c> lists it (running or ended).</summary>
    public async Task<JsonNode> SessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var status = await Http.GetFromJsonAsync<JsonNode>(new Uri(Middleware.Url, "/api/training/sessions"), cancellationToken)
            ?? throw new InvalidOperationException("GET /api/training/sessions answered null.");
        return status["sessions"]?.AsArray().FirstOrDefault(s => s?["session_id"]?.GetValue<string>() == sessionId)
            ?? throw new InvalidOperationException($"Session {sessionId} is not in {status.ToJsonString()}");
    }

    public async Task<int> ExchangesAsync(string sessionId, CancellationToken cancellationToken = default) =>
        (await SessionAsync(sessionId, cancellationToken))["exchanges"]!.GetValue<int>();

    /// <summary>Polls until the session has at least <paramref name="exchanges"/> exchanges.</summary>
    public async Task WaitForExchangesAsync(string sessionId, int exchanges, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var seen = 0;
        while (clock.Elapsed < timeout)
        {
            seen = await ExchangesAsync(sessionId, cancellationToken);
            if (seen >= exchanges)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException(
            $"Session {sessionId} reached {seen} exchanges, not {exchanges}, within {timeout.TotalSeconds:0} s.{Environment.NewLine}{RecentOutput()}");
    }

    /// <summary>Polls until the session is no longer running or paused, and returns its final state.</summary>
    public async Task<JsonNode> WaitForSessionEndAsync(string sessionId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var session = await SessionAsync(sessionId, cancellationToken);
        while (clock.Elapsed < timeout)
        {
            if (session["status"]?.GetValue<string>() is not ("running" or "paused"))
            {
                return session;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            session = await SessionAsync(sessionId, cancellationToken);
        }

        throw new TimeoutException(
            $"Session {sessionId} did not end within {timeout.TotalSeconds:0} s: {session.ToJsonString()}{Environment.NewLine}{RecentOutput()}");
    }

    public async Task<long> CerebrumObservationsAsync(CancellationToken cancellationToken = default)
    {
        var status = await Http.GetFromJsonAsync<JsonNode>(new Uri(Cerebrum.Url, "/api/status"), cancellationToken)
            ?? throw new InvalidOperationException("Cerebrum's GET /api/status answered null.");
        return status["observations"]!.GetValue<long>();
    }

    /// <summary>SIGKILLs one service process: no graceful shutdown, so in-flight work survives only if the broker redelivers it.</summary>
    public static async Task KillAsync(ServiceProcess process)
    {
        if (!await process.KillAsync(TimeSpan.FromSeconds(15)))
        {
            throw new TimeoutException($"{process.Service.Name} (pid {process.ProcessId}) did not die within 15 s of SIGKILL.");
        }
    }

    /// <summary>Runs <c>dotnet Middleware.dll &lt;arguments&gt;</c> with the middleware's own wiring (its broker) and waits for it.</summary>
    public async Task<(int ExitCode, string Output)> RunMiddlewareCommandAsync(
        TimeSpan timeout, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var launch = LaunchFor(ServiceCatalog.Middleware) with { Arguments = arguments };
        var startInfo = launch.ToStartInfo();
        startInfo.RedirectStandardInput = false;

        // Any port: the command must not need the running middleware's port (it was stopped, or is still serving).
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{PortGuard.AnyFreeLoopbackPort()}";

        using var command = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the middleware command.");
        var stdout = command.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = command.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await command.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            command.Kill(entireProcessTree: true);
            throw new TimeoutException($"'Middleware {string.Join(' ', arguments)}' did not exit within {timeout.TotalSeconds:0} s.");
        }

        return (command.ExitCode, await stdout + await stderr);
    }

    /// <summary>The last lines each service printed, for failure messages.</summary>
    public string RecentOutput() => string.Join(Environment.NewLine, processes.Select(p =>
        $"--- {p.Service.Name} (pid {p.ProcessId}) last output:{Environment.NewLine}{string.Join(Environment.NewLine, p.RecentOutput)}"));

    public async ValueTask DisposeAsync()
    {
        // The middleware first, as the AppHost does: it is the only caller of the others.
        foreach (var process in processes.OrderBy(p => p.Service == ServiceCatalog.Middleware ? 0 : 1))
        {
            await process.DisposeAsync();
        }

        Http.Dispose();
        try
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held by a dying process; a scratch directory in temp is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private ServiceLaunch LaunchFor(ServiceDefinition service)
    {
        var launch = wiring.LaunchFor(service);
        var environment = new Dictionary<string, string?>(launch.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in options.ExtraEnvironment)
        {
            environment[name] = value;
        }

        if (service == ServiceCatalog.Middleware && options.BrokerManagementUri is not null)
        {
            environment["Middleware__RabbitMqManagementUrl"] = options.BrokerManagementUri.ToString();
        }

        return launch with { Environment = environment };
    }

    private ServiceLaunch LlmServerReplica(int replica)
    {
        var launch = LaunchFor(ServiceCatalog.LlmServer);
        if (replica == 0)
        {
            return launch;
        }

        // Further replicas get their own port and directory; only the bus addresses them.
        var url = new Uri($"http://localhost:{PortGuard.AnyFreeLoopbackPort()}");
        var environment = new Dictionary<string, string?>(launch.Environment, StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["OTEL_SERVICE_NAME"] = $"{ServiceCatalog.LlmServer.Name}-{replica}",
        };
        return launch with { Url = url, WorkingDirectory = $"{launch.WorkingDirectory}-{replica}", Environment = environment };
    }

    private ServiceProcess Start(ServiceLaunch launch, CancellationToken cancellationToken)
    {
        if (!File.Exists(launch.EntryAssembly))
        {
            throw new InvalidOperationException($"{launch.EntryAssembly} does not exist; build the services first.");
        }

        var process = new ServiceProcess(launch, console);
        processes.Add(process);
        process.Start(cancellationToken);
        return process;
    }

    // The AppHost places the services at 8000/8001/8002 + offset: pick an offset whose three ports are free.
    private static int FreePortOffset()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var offset = Random.Shared.Next(10_000, 40_000);
            if (ServiceCatalog.All.All(s => PortGuard.IsFree(s.DefaultPort + offset)))
            {
                return offset;
            }
        }

        throw new InvalidOperationException("No free block of ports for the services.");
    }
}

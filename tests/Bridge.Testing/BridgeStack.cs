using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>
/// The three services as real processes for a test or a benchmark: each on a free loopback port and in its own
/// directory under a temporary data directory (deleted afterwards), wired with the variables the AppHost injects
/// (<c>services__cerebrum__http__0</c>, <c>services__llmserver__http__0</c>, <c>ConnectionStrings__rabbitmq</c>,
/// <c>Teacher__Chain</c>, the data paths). Each service can be SIGKILLed and restarted in place.
/// Cross-service tests that need none of that run the AppHost itself under Aspire.Hosting.Testing.
/// </summary>
public sealed class BridgeStack : IAsyncDisposable
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory root = new("stack");
    private readonly List<ServiceProcess> llmServers = [];

    private BridgeStack(BridgeStackOptions options) => Options = options;

    public BridgeStackOptions Options { get; }

    public string DataDirectory => root.Path;

    public string TrainingLogsDirectory => Path.Combine(root.Path, ServiceCatalog.Middleware.Name, "training_logs");

    public ServiceProcess Cerebrum { get; private set; } = null!;

    /// <summary>The first LlmServer replica (the only one unless <see cref="BridgeStackOptions.LlmServerReplicas"/> says more).</summary>
    public ServiceProcess LlmServer => llmServers[0];

    public IReadOnlyList<ServiceProcess> LlmServers => llmServers;

    public ServiceProcess Middleware { get; private set; } = null!;

    public HttpClient CerebrumClient { get; private set; } = null!;

    public HttpClient LlmServerClient { get; private set; } = null!;

    /// <summary>The middleware, with the stack's API key when it has one.</summary>
    public HttpClient MiddlewareClient { get; private set; } = null!;

    /// <summary>For absolute URLs to any of the services.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public IEnumerable<ServiceProcess> Services => new[] { Cerebrum }.Concat(llmServers).Append(Middleware).Where(s => s is not null);

    public static async Task<BridgeStack> StartAsync(BridgeStackOptions? options = null, CancellationToken cancellationToken = default)
    {
        var stack = new BridgeStack(options ?? new BridgeStackOptions());
        try
        {
            await stack.StartServicesAsync(cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>What each service printed, for the message of a failing assertion.</summary>
    public string Diagnostics(int lines = 25) =>
        string.Join('\n', Services.Select(s => $"===== {s.Service.Name} (pid {s.ProcessId}, last lines) =====\n{s.Tail(lines)}"
            + (s.Notable.Count == 0 ? "" : $"\n===== {s.Service.Name}: its last warnings and errors =====\n{string.Join('\n', s.Notable)}")));

    /// <summary>Runs <c>dotnet Middleware.dll &lt;arguments&gt;</c> with the middleware's own wiring (its broker) on a
    /// port of its own, and waits for it to exit.</summary>
    public async Task<(int ExitCode, string Output)> RunMiddlewareCommandAsync(
        TimeSpan timeout, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var launch = ServiceLaunch.Create(ServiceCatalog.Middleware, Middleware.Launch.Environment
            .Where(v => v.Key != "ASPNETCORE_URLS").ToDictionary(), workingDirectory: Middleware.WorkingDirectory) with { Arguments = arguments };
        var startInfo = launch.ToStartInfo();
        startInfo.RedirectStandardInput = false;
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

    public async ValueTask DisposeAsync()
    {
        // SIGKILL, the middleware first (it is the only caller of the others): the data directory is deleted next,
        // so there is nothing to shut down cleanly.
        foreach (var service in new[] { Middleware }.Concat(llmServers).Append(Cerebrum).Where(s => s is not null))
        {
            await service.KillAsync();
            await service.DisposeAsync();
        }

        foreach (var client in new[] { MiddlewareClient, LlmServerClient, CerebrumClient, Http }.Where(c => c is not null))
        {
            client.Dispose();
        }

        root.Dispose();
    }

    private async Task StartServicesAsync(CancellationToken cancellationToken)
    {
        Cerebrum = Start(ServiceCatalog.Cerebrum, ServiceCatalog.Cerebrum.Name, new Dictionary<string, string?>
        {
            ["Cerebrum__DatabasePath"] = Path.Combine(root.Sub(ServiceCatalog.Cerebrum.Name), "data", "cerebrum.db"),
        });
        for (var replica = 0; replica < Math.Max(Options.LlmServerReplicas, 1); replica++)
        {
            var environment = new Dictionary<string, string?>
            {
                ["Teacher__Chain"] = Options.Teacher,
                ["ConnectionStrings__rabbitmq"] = Options.BrokerConnectionString,
            };
            foreach (var (name, value) in Options.LlmServerEnvironment)
            {
                environment[name] = value;
            }

            llmServers.Add(Start(ServiceCatalog.LlmServer, replica == 0 ? "llmserver" : $"llmserver-{replica + 1}", environment));
        }

        // Nothing ever listens on a port handed out and not used: connections to it are refused at once.
        var llmServerForMiddleware = Options.MiddlewareReachesLlmServerOverHttp ? LlmServer.Url : new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var middlewareDirectory = root.Sub(ServiceCatalog.Middleware.Name);
        var middleware = new Dictionary<string, string?>
        {
            ["services__cerebrum__http__0"] = Cerebrum.Url.ToString().TrimEnd('/'),
            ["services__llmserver__http__0"] = llmServerForMiddleware.ToString().TrimEnd('/'),
            ["ConnectionStrings__rabbitmq"] = Options.BrokerConnectionString,
            ["Middleware__DatabasePath"] = Path.Combine(middlewareDirectory, "data", "middleware.db"),
            ["Middleware__TrainingLogsPath"] = TrainingLogsDirectory,
        };
        if (Options.BrokerManagementUri is not null)
        {
            middleware["Middleware__RabbitMqManagementUrl"] = Options.BrokerManagementUri.ToString();
        }

        if (Options.ApiKey is not null)
        {
            middleware["Middleware__ApiKey"] = Options.ApiKey;
        }

        foreach (var (name, value) in Options.MiddlewareEnvironment)
        {
            middleware[name] = value;
        }

        Middleware = Start(ServiceCatalog.Middleware, ServiceCatalog.Middleware.Name, middleware);

        // Started together, as the AppHost does; one deadline for all, each failure with the service's own output.
        var started = Services.Select(s => s.WaitUntilHealthyAsync(Options.StartTimeout, cancellationToken)).ToList();
        await Task.WhenAll(started).ContinueWith(_ => { }, TaskScheduler.Default);
        var failures = started.Where(t => !t.IsCompletedSuccessfully).Select(t => t.Exception?.InnerException ?? new OperationCanceledException()).ToList();
        if (failures.Count > 0)
        {
            throw new AggregateException("The Bridge stack did not start.", failures);
        }

        CerebrumClient = new HttpClient { BaseAddress = Cerebrum.Url, Timeout = ClientTimeout };
        LlmServerClient = new HttpClient { BaseAddress = LlmServer.Url, Timeout = ClientTimeout };
        MiddlewareClient = new HttpClient { BaseAddress = Middleware.Url, Timeout = ClientTimeout };
        if (Options.ApiKey is not null)
        {
            MiddlewareClient.DefaultRequestHeaders.Add("X-Api-Key", Options.ApiKey);
        }
    }

    private ServiceProcess Start(ServiceDefinition service, string directory, Dictionary<string, string?> own)
    {
        var environment = new Dictionary<string, string?>(Options.Environment);
        foreach (var (name, value) in own)
        {
            environment[name] = value;
        }

        var process = new ServiceProcess(ServiceLaunch.Create(service, environment, workingDirectory: root.Sub(directory)), Options.Console);
        process.Start();
        return process;
    }
}

namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>How a <see cref="BridgeStack"/> is wired. The defaults are HTTP mode with the offline teacher.</summary>
public sealed record BridgeStackOptions
{
    /// <summary><c>ConnectionStrings__rabbitmq</c> for LlmServer and Middleware; null runs the bridge over HTTP.</summary>
    public string? RabbitMqConnectionString { get; init; }

    /// <summary><c>Teacher__Chain</c> for LlmServer; <c>embedded</c> needs no model and no network.</summary>
    public string TeacherChain { get; init; } = "embedded";

    /// <summary>Extra variables for the middleware (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> MiddlewareEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra variables for LlmServer (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> LlmServerEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>LlmServer processes; with a broker they are competing consumers of the teacher-turn queue.</summary>
    public int LlmServerReplicas { get; init; } = 1;

    /// <summary>False gives the middleware a dead loopback address for LlmServer's HTTP API, so only the bus can carry
    /// teacher turns (and an outage of the broker stops them for certain).</summary>
    public bool MiddlewareReachesLlmServerOverHttp { get; init; } = true;
}

/// <summary>
/// The three services as real processes on free loopback ports, each in its own temporary working directory,
/// wired with the same variables the AppHost injects (<c>services__cerebrum__http__0</c>,
/// <c>services__llmserver__http__0</c>, <c>ConnectionStrings__rabbitmq</c>, <c>Teacher__Chain</c>, data paths).
/// </summary>
public sealed class BridgeStack : IAsyncDisposable
{
    private readonly TempDirectory root;

    private BridgeStack(TempDirectory root, BridgeStackOptions options)
    {
        this.root = root;
        Options = options;
        CerebrumDirectory = root.Sub("cerebrum");
        LlmServerDirectory = root.Sub("llmserver");
        MiddlewareDirectory = root.Sub("middleware");
    }

    public BridgeStackOptions Options { get; }

    public string CerebrumDirectory { get; }

    public string LlmServerDirectory { get; }

    public string MiddlewareDirectory { get; }

    public string TrainingLogsDirectory => Path.Combine(MiddlewareDirectory, "training_logs");

    public ServiceProcess Cerebrum { get; private set; } = null!;

    /// <summary>The first LlmServer replica (the only one unless <see cref="BridgeStackOptions.LlmServerReplicas"/> says more).</summary>
    public ServiceProcess LlmServer => LlmServers.Count > 0 ? LlmServers[0] : null!;

    public IReadOnlyList<ServiceProcess> LlmServers { get; private set; } = [];

    public ServiceProcess Middleware { get; private set; } = null!;

    public HttpClient CerebrumClient { get; private set; } = null!;

    public HttpClient LlmServerClient { get; private set; } = null!;

    public HttpClient MiddlewareClient { get; private set; } = null!;

    public IEnumerable<ServiceProcess> Services => new[] { Cerebrum }.Concat(LlmServers).Append(Middleware).Where(s => s is not null);

    public static async Task<BridgeStack> StartAsync(BridgeStackOptions? options = null)
    {
        var stack = new BridgeStack(new TempDirectory("stack"), options ?? new BridgeStackOptions());
        try
        {
            await stack.StartServicesAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>What each service printed, for the message of a failing assertion.</summary>
    public string Diagnostics() =>
        string.Join("\n", Services.Select(s => $"===== {s.Project} (last lines) =====\n{s.Tail(25)}"));

    public async ValueTask DisposeAsync()
    {
        // The middleware first, as the AppHost does: it is the only caller of the other two.
        foreach (var service in new[] { Middleware }.Concat(LlmServers).Append(Cerebrum).Where(s => s is not null))
        {
            await service.DisposeAsync();
        }

        foreach (var client in new[] { MiddlewareClient, LlmServerClient, CerebrumClient }.Where(c => c is not null))
        {
            client.Dispose();
        }

        root.Dispose();
    }

    private async Task StartServicesAsync()
    {
        var cerebrumPort = FreePorts.Next();
        var llmServerPorts = Enumerable.Range(0, Math.Max(Options.LlmServerReplicas, 1)).Select(_ => FreePorts.Next()).ToList();
        var middlewarePort = FreePorts.Next();
        // Nothing ever listens on a port handed out and not used: connections to it are refused at once.
        var middlewareLlmServerPort = Options.MiddlewareReachesLlmServerOverHttp ? llmServerPorts[0] : FreePorts.Next();

        var cerebrum = ServiceProcess.StartAsync("Cerebrum.Api", cerebrumPort, CerebrumDirectory, new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "cerebrum",
            ["Cerebrum__DatabasePath"] = Path.Combine(CerebrumDirectory, "data", "cerebrum.db"),
        });
        var llmServers = llmServerPorts.Select((port, i) =>
        {
            var environment = new Dictionary<string, string?>
            {
                ["OTEL_SERVICE_NAME"] = "llmserver",
                ["Teacher__Chain"] = Options.TeacherChain,
                ["ConnectionStrings__rabbitmq"] = Options.RabbitMqConnectionString,
            };
            foreach (var (name, value) in Options.LlmServerEnvironment)
            {
                environment[name] = value;
            }

            return ServiceProcess.StartAsync("LlmServer", port, i == 0 ? LlmServerDirectory : root.Sub($"llmserver-{i + 1}"), environment);
        }).ToList();

        var middlewareEnvironment = new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "middleware",
            ["services__cerebrum__http__0"] = $"http://127.0.0.1:{cerebrumPort}",
            ["services__llmserver__http__0"] = $"http://127.0.0.1:{middlewareLlmServerPort}",
            ["ConnectionStrings__rabbitmq"] = Options.RabbitMqConnectionString,
            ["Middleware__DatabasePath"] = Path.Combine(MiddlewareDirectory, "data", "middleware.db"),
            ["Middleware__TrainingLogsPath"] = TrainingLogsDirectory,
        };
        foreach (var (name, value) in Options.MiddlewareEnvironment)
        {
            middlewareEnvironment[name] = value;
        }

        var middleware = ServiceProcess.StartAsync("Middleware", middlewarePort, MiddlewareDirectory, middlewareEnvironment);

        // Started together (as the AppHost does); each failure is reported with the service's own output.
        Task<ServiceProcess>[] all = [cerebrum, .. llmServers, middleware];
        await Task.WhenAll(all).ContinueWith(_ => { }, TaskScheduler.Default);
        Cerebrum = cerebrum.IsCompletedSuccessfully ? cerebrum.Result : null!;
        LlmServers = [.. llmServers.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)];
        Middleware = middleware.IsCompletedSuccessfully ? middleware.Result : null!;
        var failures = all.Where(t => !t.IsCompletedSuccessfully).Select(t => t.Exception!.InnerException!).ToList();
        if (failures.Count > 0)
        {
            throw new AggregateException("The Bridge stack did not start.", failures);
        }

        CerebrumClient = new HttpClient { BaseAddress = Cerebrum.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        LlmServerClient = new HttpClient { BaseAddress = LlmServer.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        MiddlewareClient = new HttpClient { BaseAddress = Middleware.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }
}

/// <summary>One stack for every test of a collection (started once: three .NET processes cost seconds on 2 cores).</summary>
public sealed class BridgeStackFixture : IAsyncLifetime
{
    public BridgeStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await BridgeStack.StartAsync();

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<BridgeStackFixture>
{
    public const string Name = "Shared Bridge stack (HTTP mode)";
}

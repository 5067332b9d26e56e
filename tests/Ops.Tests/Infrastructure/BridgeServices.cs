namespace Ops.Tests.Infrastructure;

/// <summary>
/// The three real services over HTTP (no broker), the offline embedded teacher, data in a temporary directory,
/// and the middleware's control API behind an API key, wired with the AppHost's variables.
/// </summary>
public sealed class BridgeServices : IAsyncLifetime
{
    public const string ApiKey = "ops-test-key";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "bridge-ops-" + Guid.NewGuid().ToString("N")[..8]);

    public ServiceHost Cerebrum { get; private set; } = null!;

    public ServiceHost LlmServer { get; private set; } = null!;

    public ServiceHost Middleware { get; private set; } = null!;

    public HttpClient MiddlewareClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cerebrum = ServiceHost.StartAsync("Cerebrum.Api", Path.Combine(_root, "cerebrum"), new Dictionary<string, string?>
        {
            ["Cerebrum__DatabasePath"] = Path.Combine(_root, "cerebrum", "data", "cerebrum.db"),
        });
        var llmServer = ServiceHost.StartAsync("LlmServer", Path.Combine(_root, "llmserver"), new Dictionary<string, string?>
        {
            ["Teacher__Chain"] = "embedded",
        });
        try
        {
            await Task.WhenAll(cerebrum, llmServer);
        }
        finally
        {
            // Keep whichever one started even when the other failed, so DisposeAsync stops it instead of orphaning it.
            Cerebrum = cerebrum.IsCompletedSuccessfully ? cerebrum.Result : null!;
            LlmServer = llmServer.IsCompletedSuccessfully ? llmServer.Result : null!;
        }

        Middleware = await ServiceHost.StartAsync("Middleware", Path.Combine(_root, "middleware"), new Dictionary<string, string?>
        {
            ["services__cerebrum__http__0"] = Cerebrum.Address.ToString().TrimEnd('/'),
            ["services__llmserver__http__0"] = LlmServer.Address.ToString().TrimEnd('/'),
            ["Middleware__DatabasePath"] = Path.Combine(_root, "middleware", "data", "middleware.db"),
            ["Middleware__TrainingLogsPath"] = Path.Combine(_root, "middleware", "training_logs"),
            ["Middleware__ApiKey"] = ApiKey,
        });
        MiddlewareClient = new HttpClient { BaseAddress = Middleware.Address, Timeout = TimeSpan.FromSeconds(15) };
        MiddlewareClient.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public string Diagnostics() =>
        string.Join('\n', new[] { Cerebrum, LlmServer, Middleware }.Where(s => s is not null)
            .Select(s => $"===== {s.Project} =====\n{string.Join('\n', s.Output.Split('\n').TakeLast(25))}"));

    public async Task DisposeAsync()
    {
        MiddlewareClient?.Dispose();
        foreach (var service in new[] { Middleware, LlmServer, Cerebrum }.Where(s => s is not null))
        {
            await service.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process that was slow to die may still hold a file; the OS temp cleaner takes the rest.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BridgeServicesCollection : ICollectionFixture<BridgeServices>
{
    public const string Name = "Real Bridge services";
}

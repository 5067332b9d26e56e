namespace Bridge.Testing;

/// <summary>How a scratch stack is wired: the teacher chain, where its ports start and its broker (null = HTTP mode).</summary>
public sealed record WiringOptions(string? Teacher, int PortOffset, string? BrokerConnectionString);

/// <summary>
/// The environment each service of a test or benchmark stack is started with: the variables the AppHost injects
/// (<c>ASPNETCORE_URLS</c>, <c>services__{name}__http__0</c>, <c>ConnectionStrings__rabbitmq</c>, <c>OTEL_SERVICE_NAME</c>)
/// plus the data paths and teacher chain from docs/contracts.md (the table in docs/apphost.md).
/// </summary>
public sealed class ServiceWiring(SolutionLayout layout, WiringOptions options, string dataDirectory)
{
    public const string ConnectionStringVariable = "ConnectionStrings__rabbitmq";

    public Uri UrlOf(ServiceDefinition service) => new($"http://localhost:{service.DefaultPort + options.PortOffset}");

    public string WorkingDirectoryOf(ServiceDefinition service) => Path.Combine(dataDirectory, service.Name);

    public string TrainingLogsDirectory => Path.Combine(WorkingDirectoryOf(ServiceCatalog.Middleware), "training_logs");

    public ServiceLaunch LaunchFor(ServiceDefinition service)
    {
        var workingDirectory = WorkingDirectoryOf(service);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = UrlOf(service).ToString().TrimEnd('/'),
            // As with 'dotnet run': appsettings.json and wwwroot come from the project; data goes to the working directory.
            ["ASPNETCORE_CONTENTROOT"] = layout.ProjectDirectory(service),
            ["ASPNETCORE_ENVIRONMENT"] = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development",
            ["OTEL_SERVICE_NAME"] = service.Name,
            // Children inherit the AppHost's environment; only the broker's users may see its connection string.
            [ConnectionStringVariable] = null,
        };

        // The seed's config.json lives in the repository root; the services look for it in their working directory.
        var seedConfig = Path.Combine(layout.RepositoryRoot, "config.json");
        if (File.Exists(seedConfig) && Environment.GetEnvironmentVariable("BRIDGE_CONFIG") is null)
        {
            environment["BRIDGE_CONFIG"] = seedConfig;
        }

        if (service == ServiceCatalog.Cerebrum)
        {
            environment["Cerebrum__DatabasePath"] = Path.Combine(workingDirectory, "data", "cerebrum.db");
        }
        else if (service == ServiceCatalog.LlmServer)
        {
            if (options.Teacher is not null)
            {
                environment["Teacher__Chain"] = options.Teacher;
            }

            AddBroker(environment);
        }
        else if (service == ServiceCatalog.Middleware)
        {
            environment["services__cerebrum__http__0"] = UrlOf(ServiceCatalog.Cerebrum).ToString().TrimEnd('/');
            environment["services__llmserver__http__0"] = UrlOf(ServiceCatalog.LlmServer).ToString().TrimEnd('/');
            environment["Middleware__DatabasePath"] = Path.Combine(workingDirectory, "data", "middleware.db");
            environment["Middleware__TrainingLogsPath"] = TrainingLogsDirectory;
            AddBroker(environment);
        }

        return new ServiceLaunch(service, layout.EntryAssembly(service), layout.ProjectDirectory(service), workingDirectory,
            UrlOf(service), environment);
    }

    private void AddBroker(Dictionary<string, string?> environment)
    {
        environment[ConnectionStringVariable] = options.BrokerConnectionString;
    }
}

namespace Bridge.AppHost;

/// <summary>
/// The environment each service is started with: Aspire's conventions (<c>ASPNETCORE_URLS</c>,
/// <c>services__{name}__http__0</c>, <c>ConnectionStrings__rabbitmq</c>, <c>OTEL_SERVICE_NAME</c>) plus the data paths
/// and teacher chain from docs/contracts.md. This is the whole contract between the AppHost and a service, so a real
/// Aspire AppHost (<c>WithReference</c>, <c>WithEnvironment</c>) can replace this one without touching a service.
/// </summary>
public sealed class ServiceWiring(SolutionLayout layout, AppHostOptions options, BrokerChoice broker, string dataDirectory)
{
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
            [BrokerSelection.ConnectionStringVariable] = null,
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
            if (broker.ManagementUri is { } management)
            {
                environment["Middleware__RabbitMqManagementUrl"] = management.ToString();
            }
        }

        return new ServiceLaunch(service, layout.EntryAssembly(service), layout.ProjectDirectory(service), workingDirectory,
            UrlOf(service), environment);
    }

    private void AddBroker(Dictionary<string, string?> environment)
    {
        environment[BrokerSelection.ConnectionStringVariable] = broker.ConnectionString;
    }
}

using Bridge.AppHost.Broker;
using Bridge.AppHost.Options;

namespace Bridge.AppHost.Services;

public static class ServiceExtensions
{
    /// <summary>
    /// The three projects on their public ports (proxyless: the port is the service's own), health-checked on
    /// <c>/health</c>. Only the broker is waited for (MassTransit's first connection needs it); the middleware does not
    /// wait for the two peers it calls, because it already treats a peer that is not up yet as one that is down (the
    /// session pauses and retries), and starting all three at once is what makes the stack healthy sooner.
    /// </summary>
    public static void AddBridgeServices(this IDistributedApplicationBuilder builder, BridgeOptions options, BrokerChoice broker)
    {
        var data = builder.DataDirectory(options);
        IResourceBuilder<ProjectResource>? cerebrum = null;
        IResourceBuilder<ProjectResource>? llmServer = null;

        if (options.Runs(ServiceName.Cerebrum))
        {
            // Cerebrum is HTTP-only: it never gets the broker.
            cerebrum = builder.AddBridgeProject<Projects.Cerebrum_Api>(ServiceName.Cerebrum, options)
                .WithEnvironment("Cerebrum__DatabasePath", Path.Combine(data, "cerebrum", "data", "cerebrum.db"));
        }

        if (options.Runs(ServiceName.LlmServer))
        {
            llmServer = builder.AddBridgeProject<Projects.LlmServer>(ServiceName.LlmServer, options).WithBroker(broker);
            if (options.Teacher is not null)
            {
                llmServer.WithEnvironment("Teacher__Chain", options.Teacher);
            }
        }

        if (options.Runs(ServiceName.Middleware))
        {
            var middleware = builder.AddBridgeProject<Projects.Middleware>(ServiceName.Middleware, options)
                .WithPeer(cerebrum, ServiceName.Cerebrum, options)
                .WithPeer(llmServer, ServiceName.LlmServer, options)
                .WithEnvironment("Middleware__DatabasePath", Path.Combine(data, "middleware", "data", "middleware.db"))
                .WithEnvironment("Middleware__TrainingLogsPath", Path.Combine(data, "middleware", "training_logs"))
                .WithBroker(broker);
            if (broker.ManagementUrl is { } management)
            {
                // The middleware's topology removal lists what to delete through the node's management API.
                middleware.WithEnvironment("Middleware__RabbitMqManagementUrl", management);
            }
        }
    }

    private static IResourceBuilder<ProjectResource> AddBridgeProject<TProject>(
        this IDistributedApplicationBuilder builder, ServiceName service, BridgeOptions options)
        where TProject : IProjectMetadata, new()
    {
        var project = builder.AddProject<TProject>(service.Name, launchProfileName: null)
            .WithHttpEndpoint(port: options.PortOf(service), isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Configuration["ASPNETCORE_ENVIRONMENT"]
                ?? builder.Configuration["DOTNET_ENVIRONMENT"] ?? "Development");

        // The seed's config.json in the repository root, as the services read it (BRIDGE_CONFIG, docs/contracts.md).
        var seedConfig = Path.Combine(builder.RepositoryRoot(), "config.json");
        if (File.Exists(seedConfig) && builder.Configuration["BRIDGE_CONFIG"] is null)
        {
            project.WithEnvironment("BRIDGE_CONFIG", seedConfig);
        }

        return project;
    }

    /// <summary><c>services__{peer}__http__0</c>: a reference when the peer runs here, else its well-known address.</summary>
    private static IResourceBuilder<ProjectResource> WithPeer(this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<ProjectResource>? peer, ServiceName name, BridgeOptions options) =>
        peer is null
            ? project.WithEnvironment($"services__{name.Name}__http__0", "http://localhost:" + options.PortOf(name))
            : project.WithReference(peer);

    private static IResourceBuilder<ProjectResource> WithBroker(this IResourceBuilder<ProjectResource> project, BrokerChoice broker) =>
        broker.Resource is null ? project : project.WithReference(broker.Resource).WaitFor(broker.Resource);
}

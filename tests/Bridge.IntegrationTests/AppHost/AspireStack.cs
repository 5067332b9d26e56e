using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Bridge.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TempDirectory = Bridge.Testing.TempDirectory;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>
/// The AppHost's own model, run by Aspire.Hosting.Testing (DistributedApplicationTestingBuilder over src/AppHost): the
/// stack a user gets, on a free port offset and a temporary data directory. HTTP mode with the embedded teacher, and a
/// configured broker that <c>--no-broker</c> must override.
/// </summary>
public sealed class AspireStack : IAsyncLifetime
{
    public const string IgnoredBroker = "amqp://guest:guest@127.0.0.1:1/";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    private readonly TempDirectory dataDirectory = new("aspire");
    private DistributedApplication? app;

    public int PortOffset { get; } = FreePorts.NextAppHostOffset();

    public string DataDirectory => dataDirectory.Path;

    public DistributedApplication App => app ?? throw new InvalidOperationException("The stack has not started.");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri UrlOf(int defaultPort) => new($"http://localhost:{defaultPort + PortOffset}");

    public static Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(params string[] arguments) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(arguments);

    /// <summary>The variables DCP starts a resource with.</summary>
    public async Task<Dictionary<string, string>> EnvironmentOfAsync(string resource)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var withEnvironment = (IResourceWithEnvironment)model.Resources.Single(r => r.Name == resource);
        // Obsolete in 13.x in favour of ExecutionConfigurationBuilder, but still the one call that evaluates every callback.
#pragma warning disable CS0618
        return await withEnvironment.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
    }

    public async Task InitializeAsync()
    {
        var builder = await CreateBuilderAsync(
            "--no-broker", "--teacher", "embedded", "--port-offset", PortOffset.ToString(), "--data-dir", DataDirectory,
            $"--ConnectionStrings:rabbitmq={IgnoredBroker}");
        app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        // Observed readiness: Aspire's own health checks on each /health, bounded by one deadline for all three.
        await Task.WhenAll(new[] { "cerebrum", "llmserver", "middleware" }
            .Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        dataDirectory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AspireStackCollection : ICollectionFixture<AspireStack>
{
    public const string Name = "The AppHost under Aspire.Hosting.Testing (HTTP mode)";
}

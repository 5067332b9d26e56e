using Bridge.Testing.Broker;
using Testcontainers.RabbitMq;

namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>
/// One real RabbitMQ broker for a test collection, found in DESIGN.md's order: Testcontainers when a Docker
/// daemon answers, else a private local <c>rabbitmq-server</c> node (Bridge.Testing's <see cref="LocalRabbitMqNode"/>),
/// else <c>RABBITMQ_URL</c>. With none of them the fixture fails loudly: broker tests never skip silently.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public const string UrlVariable = "RABBITMQ_URL";
    public const string ManagementUrlVariable = "RABBITMQ_MANAGEMENT_URL";

    private const string ContainerImage = "rabbitmq:3.13-management";
    private const int ContainerManagementPort = 15672;

    private RabbitMqContainer? container;
    private LocalRabbitMqNode? node;
    private Uri? amqpUri;
    private RabbitMqManagementClient? management;

    /// <summary>Which broker the tests run against, for messages and logs.</summary>
    public string Source { get; private set; } = "none";

    public RabbitMqManagementClient Management =>
        management ?? throw new InvalidOperationException("The RabbitMQ fixture has not started.");

    /// <summary>The broker's default vhost, as a connection string for <c>ConnectionStrings__rabbitmq</c>.</summary>
    public string ConnectionString => ConnectionStringFor("/");

    public string ConnectionStringFor(string virtualHost)
    {
        var root = amqpUri ?? throw new InvalidOperationException("The RabbitMQ fixture has not started.");
        var builder = new UriBuilder(root) { Path = "/" + Uri.EscapeDataString(virtualHost) };
        return builder.Uri.AbsoluteUri;
    }

    /// <summary>A new, empty vhost for one test: its topology and counters are that test's alone.</summary>
    public async Task<string> CreateVirtualHostAsync(CancellationToken cancellationToken = default)
    {
        var virtualHost = $"t-{Guid.NewGuid():N}"[..14];
        await Management.CreateVirtualHostAsync(virtualHost, cancellationToken);
        return virtualHost;
    }

    /// <summary>False for a <c>RABBITMQ_URL</c> broker: the tests can only drop its connections, not stop it.</summary>
    public bool CanStopBroker => node is not null || container is not null;

    /// <summary>
    /// Takes the broker away from the running services: the local node stops (keeping its data and ports), a container
    /// stops its RabbitMQ application. A <c>RABBITMQ_URL</c> broker cannot be stopped from here, so every client
    /// connection is closed by the broker instead (the same loss of connection the services see, but shorter).
    /// </summary>
    public async Task StopBrokerAsync(CancellationToken cancellationToken = default)
    {
        if (node is not null)
        {
            await node.StopAsync(cancellationToken);
        }
        else if (container is not null)
        {
            await container.ExecAsync(["rabbitmqctl", "stop_app"], cancellationToken);
        }
        else
        {
            await Management.CloseAllConnectionsAsync("bridge broker outage test", cancellationToken);
        }
    }

    /// <summary>Brings the broker back after <see cref="StopBrokerAsync"/>, with the same address, vhosts and durable queues.</summary>
    public async Task StartBrokerAsync(CancellationToken cancellationToken = default)
    {
        if (node is not null)
        {
            await node.StartAsync(cancellationToken);
        }
        else if (container is not null)
        {
            await container.ExecAsync(["rabbitmqctl", "start_app"], cancellationToken);
        }

        await WaitForManagementAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>
    /// Stops the RabbitMQ application but not its Erlang node (<c>rabbitmqctl stop_app</c>): listeners close and every
    /// connection drops, as in a broker restart, in about a second instead of a node's stop and boot. A
    /// <c>RABBITMQ_URL</c> broker has its connections closed instead.
    /// </summary>
    public async Task StopBrokerAppAsync(CancellationToken cancellationToken = default)
    {
        if (node is not null)
        {
            await node.RunCtlAsync(["stop_app"], cancellationToken);
        }
        else if (container is not null)
        {
            await container.ExecAsync(["rabbitmqctl", "stop_app"], cancellationToken);
        }
        else
        {
            await Management.CloseAllConnectionsAsync("bridge broker outage test", cancellationToken);
        }
    }

    /// <summary>Starts the application stopped by <see cref="StopBrokerAppAsync"/>; returns once its management API answers.</summary>
    public async Task StartBrokerAppAsync(CancellationToken cancellationToken = default)
    {
        if (node is not null)
        {
            await node.RunCtlAsync(["start_app"], cancellationToken);
        }
        else if (container is not null)
        {
            await container.ExecAsync(["rabbitmqctl", "start_app"], cancellationToken);
        }

        await WaitForManagementAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    public async Task InitializeAsync()
    {
        var attempts = new List<string>();
        if (await TryContainerAsync(attempts) || await TryLocalNodeAsync(attempts) || TryUrl(attempts))
        {
            await WaitForManagementAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            return;
        }

        throw new InvalidOperationException(
            "No RabbitMQ broker for the broker integration tests. Install one with 'apt-get install -y rabbitmq-server' " +
            $"(the tests start a private node), run Docker, or set {UrlVariable}=amqp://user:pass@host:5672/ " +
            $"(and {ManagementUrlVariable} if the management API is not on port 15672). Tried: {string.Join("; ", attempts)}");
    }

    public async Task DisposeAsync()
    {
        management?.Dispose();
        if (node is not null)
        {
            await node.DisposeAsync();
        }

        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }

    private async Task<bool> TryContainerAsync(List<string> attempts)
    {
        if (!DockerDaemonLikelyPresent())
        {
            attempts.Add("Docker: no daemon socket");
            return false;
        }

        var candidate = new RabbitMqBuilder(ContainerImage)
            .WithPortBinding(ContainerManagementPort, assignRandomHostPort: true)
            .Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await candidate.StartAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            attempts.Add($"Docker: {ex.GetType().Name}: {ex.Message}");
            await candidate.DisposeAsync();
            return false;
        }

        container = candidate;
        amqpUri = new Uri(candidate.GetConnectionString());
        var managementUri = new Uri($"http://{candidate.Hostname}:{candidate.GetMappedPublicPort(ContainerManagementPort)}/");
        var (user, password) = Credentials(amqpUri);
        management = new RabbitMqManagementClient(managementUri, user, password);
        Source = $"Testcontainers {ContainerImage}";
        return true;
    }

    private async Task<bool> TryLocalNodeAsync(List<string> attempts)
    {
        if (!LocalRabbitMqNode.IsAvailable())
        {
            attempts.Add("local node: rabbitmq-server is not installed");
            return false;
        }

        try
        {
            node = await LocalRabbitMqNode.StartAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            attempts.Add($"local node: {ex.Message}");
            return false;
        }

        amqpUri = node.AmqpUri;
        management = new RabbitMqManagementClient(node.ManagementUri!, node.UserName, node.Password);
        Source = $"local rabbitmq-server node {node.NodeName}";
        return true;
    }

    private bool TryUrl(List<string> attempts)
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            attempts.Add($"{UrlVariable}: not set");
            return false;
        }

        var (user, password) = Credentials(uri);
        var managementUrl = Environment.GetEnvironmentVariable(ManagementUrlVariable);
        var managementUri = string.IsNullOrWhiteSpace(managementUrl)
            ? new Uri($"http://{uri.Host}:15672/")
            : new Uri(managementUrl);
        amqpUri = new UriBuilder(uri) { Path = "/" }.Uri;
        management = new RabbitMqManagementClient(managementUri, user, password);
        Source = $"{UrlVariable} {uri.Host}:{uri.Port}";
        return true;
    }

    private async Task WaitForManagementAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!await Management.IsAliveAsync(deadline.Token))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The RabbitMQ management API at {Management.BaseAddress} ({Source}) did not answer within {timeout.TotalSeconds:0} s.");
            }
        }
    }

    private static (string User, string Password) Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }

    // Testcontainers can spend a long time discovering that there is no daemon; a missing socket decides it at once.
    private static bool DockerDaemonLikelyPresent()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            return !dockerHost.StartsWith("unix://", StringComparison.Ordinal) || File.Exists(dockerHost["unix://".Length..]);
        }

        return File.Exists("/var/run/docker.sock")
            || File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "run", "docker.sock"));
    }
}

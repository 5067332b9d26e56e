using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.AppHost.Broker;

/// <summary>
/// A private RabbitMQ node run from the installed <c>rabbitmq-server</c> (Debian's package) as an executable resource:
/// its own node name, loopback ports, data directory, logs and Erlang cookie, so it never touches a system broker.
/// DCP stops it with the AppHost.
/// </summary>
public sealed class LocalRabbitMqNode(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public required string NodeName { get; init; }

    public required int AmqpPort { get; init; }

    public required int ManagementPort { get; init; }

    public required int DistributionPort { get; init; }

    public string DataDirectory => WorkingDirectory;

    public string ManagementUrl => $"http://127.0.0.1:{ManagementPort}/";

    /// <summary>The default user, which RabbitMQ lets in over loopback only: all this node listens on.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{new EndpointReference(this, "amqp").Property(EndpointProperty.Port)}/");

    /// <summary>The server script, or null when rabbitmq-server is not installed.</summary>
    public static string? FindServerScript()
    {
        // /usr/lib/rabbitmq/bin runs the node as the current user; /usr/sbin's wrapper would switch to 'rabbitmq'.
        const string debian = "/usr/lib/rabbitmq/bin/rabbitmq-server";
        if (File.Exists(debian))
        {
            return debian;
        }

        const string releases = "/usr/lib/rabbitmq/lib";
        return Directory.Exists(releases)
            ? Directory.EnumerateDirectories(releases, "rabbitmq_server-*")
                .Select(release => Path.Combine(release, "sbin", "rabbitmq-server"))
                .Where(File.Exists)
                .Order(StringComparer.Ordinal)
                .LastOrDefault()
            : null;
    }

    /// <summary>The files the node reads at start, written fresh each run (the node's data lives as long as the AppHost).</summary>
    internal void WriteConfiguration()
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(DataDirectory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(DataDirectory, "log"));
        File.WriteAllLines(Path.Combine(DataDirectory, "rabbitmq.conf"),
        [
            $"listeners.tcp.default = 127.0.0.1:{AmqpPort}",
            "loopback_users.guest = true",
            $"management.tcp.port = {ManagementPort}",
            "management.tcp.ip = 127.0.0.1",
        ]);
        File.WriteAllText(Path.Combine(DataDirectory, "enabled_plugins"), "[rabbitmq_management].");
        // Empty files keep the system broker's /etc/rabbitmq settings out of this node.
        File.WriteAllText(Path.Combine(DataDirectory, "rabbitmq-env.conf"), string.Empty);
        File.WriteAllText(Path.Combine(DataDirectory, "advanced.config"), "[].");
    }

    internal IEnumerable<(string Name, string Value)> Environment()
    {
        var invariant = CultureInfo.InvariantCulture;
        // HOME decides where the Erlang cookie lives: private to this node.
        yield return ("HOME", DataDirectory);
        yield return ("RABBITMQ_NODENAME", NodeName);
        yield return ("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        yield return ("RABBITMQ_NODE_PORT", AmqpPort.ToString(invariant));
        yield return ("RABBITMQ_DIST_PORT", DistributionPort.ToString(invariant));
        yield return ("RABBITMQ_MNESIA_BASE", Path.Combine(DataDirectory, "mnesia"));
        yield return ("RABBITMQ_LOG_BASE", Path.Combine(DataDirectory, "log"));
        // The node's log goes to its console, so the dashboard shows it.
        yield return ("RABBITMQ_LOGS", "-");
        yield return ("RABBITMQ_CONFIG_FILE", Path.Combine(DataDirectory, "rabbitmq.conf"));
        yield return ("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(DataDirectory, "advanced.config"));
        yield return ("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(DataDirectory, "enabled_plugins"));
        yield return ("RABBITMQ_CONF_ENV_FILE", Path.Combine(DataDirectory, "rabbitmq-env.conf"));
        // Erlang's schedulers spin for a while after each piece of work by default. On a laptop or a 2-core machine that
        // spinning takes CPU the three services need; RabbitMQ's runtime guide advises turning it off on such hosts.
        yield return ("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none");
        yield return ("ERL_EPMD_ADDRESS", "127.0.0.1");
    }

    /// <summary>A loopback port the OS says is free now, distinct from <paramref name="taken"/>.</summary>
    internal static int FreePort(params int[] taken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!taken.Contains(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback TCP port found.");
    }
}

public static class LocalRabbitMqNodeExtensions
{
    public static IResourceBuilder<LocalRabbitMqNode> AddLocalRabbitMqNode(
        this IDistributedApplicationBuilder builder, string name, string serverScript, string dataDirectory)
    {
        var amqp = LocalRabbitMqNode.FreePort();
        var management = LocalRabbitMqNode.FreePort(amqp);
        var node = new LocalRabbitMqNode(name, serverScript, dataDirectory)
        {
            NodeName = $"bridge-apphost-{System.Environment.ProcessId}@localhost",
            AmqpPort = amqp,
            ManagementPort = management,
            DistributionPort = LocalRabbitMqNode.FreePort(amqp, management),
        };
        if (builder.ExecutionContext.IsRunMode)
        {
            node.WriteConfiguration();
        }

        var healthCheck = $"{name}-node";
        builder.Services.AddHealthChecks().AddCheck(healthCheck, new LocalRabbitMqNodeHealthCheck(node));
        var resource = builder.AddResource(node)
            .WithEndpoint("amqp", endpoint =>
            {
                endpoint.Port = amqp;
                endpoint.TargetPort = amqp;
                endpoint.UriScheme = "amqp";
                endpoint.IsProxied = false;
            })
            .WithHttpEndpoint(port: management, targetPort: management, name: "management", isProxied: false)
            .WithHealthCheck(healthCheck)
            .ExcludeFromManifest();
        foreach (var (variable, value) in node.Environment())
        {
            resource.WithEnvironment(variable, value);
        }

        return resource;
    }
}

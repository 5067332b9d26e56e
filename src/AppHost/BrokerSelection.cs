using Bridge.AppHost.Broker;

namespace Bridge.AppHost;

/// <summary>The broker the services are wired to, and the node the AppHost owns (stopped with it), if any.</summary>
public sealed record BrokerChoice(string? ConnectionString, string Description, LocalRabbitMqNode? OwnedNode)
{
    public bool IsHttpMode => ConnectionString is null;

    /// <summary>The management API of a node the AppHost started, so the middleware's topology removal can list what to delete.</summary>
    public Uri? ManagementUri => OwnedNode?.ManagementUri;
}

/// <summary>Unless <c>--no-broker</c> is given, issue 4's order: a configured <c>ConnectionStrings:rabbitmq</c>, else a private local
/// <c>rabbitmq-server</c> node, else HTTP mode. The choice is printed, never silent.</summary>
public sealed class BrokerSelection(ConsoleLog console)
{
    public const string ConnectionStringVariable = "ConnectionStrings__rabbitmq";

    public async Task<BrokerChoice> ChooseAsync(AppHostOptions options, string dataDirectory, CancellationToken cancellationToken)
    {
        if (options.NoBroker)
        {
            return new BrokerChoice(null, "none: HTTP mode (--no-broker)", null);
        }

        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new BrokerChoice(configured, $"RabbitMQ from {ConnectionStringVariable} ({Redact(configured)})", null);
        }

        if (!LocalRabbitMqNode.IsAvailable())
        {
            return new BrokerChoice(null,
                $"none: HTTP mode (no {ConnectionStringVariable}, and rabbitmq-server is not installed: 'apt-get install rabbitmq-server' enables the bus)",
                null);
        }

        console.Info($"starting a private RabbitMQ node (rabbitmq-server, data and logs in {Path.Combine(dataDirectory, "rabbitmq")})...");
        try
        {
            var node = await LocalRabbitMqNode.StartAsync(new LocalRabbitMqNodeOptions
            {
                DataDirectory = Path.Combine(dataDirectory, "rabbitmq"),
                DeleteDataOnDispose = true,
            }, cancellationToken);
            var management = node.ManagementUri is null ? string.Empty : $", management {node.ManagementUri} (guest/guest)";
            return new BrokerChoice(node.ConnectionString, $"private RabbitMQ node {node.NodeName} at amqp://127.0.0.1:{node.AmqpPort}{management}", node);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            console.Warn($"the local RabbitMQ node did not start: {ex.Message}");
            return new BrokerChoice(null, "none: HTTP mode (the local RabbitMQ node failed to start; see above)", null);
        }
    }

    /// <summary>Hides the password of an amqp:// URI before it is printed.</summary>
    private static string Redact(string connectionString) =>
        Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal)
            ? connectionString.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal)
            : connectionString;
}

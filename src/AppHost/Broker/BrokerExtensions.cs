using Bridge.AppHost.Options;
using Microsoft.Extensions.Configuration;

namespace Bridge.AppHost.Broker;

public static class BrokerExtensions
{
    public const string ResourceName = "rabbitmq";

    /// <summary>
    /// Unless <c>--no-broker</c>: a configured <c>ConnectionStrings:rabbitmq</c>; else the RabbitMQ container (with its
    /// management plugin) where a container runtime is there; else a private <c>rabbitmq-server</c> node as an executable
    /// resource; else HTTP mode. The choice is printed, never silent.
    /// </summary>
    public static BrokerChoice AddBroker(this IDistributedApplicationBuilder builder, BridgeOptions options)
    {
        var choice = Choose(builder, options);
        Console.WriteLine($"apphost: broker: {choice.Description}");
        return choice;
    }

    private static BrokerChoice Choose(IDistributedApplicationBuilder builder, BridgeOptions options)
    {
        if (options.NoBroker)
        {
            return new BrokerChoice(null, "none, HTTP mode (--no-broker)");
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ResourceName)))
        {
            return new BrokerChoice(builder.AddConnectionString(ResourceName), $"RabbitMQ from ConnectionStrings__{ResourceName}");
        }

        if (ContainerRuntime.IsPresent())
        {
            var container = builder.AddRabbitMQ(ResourceName).WithManagementPlugin();
            return new BrokerChoice(container, "the RabbitMQ container (management plugin on)");
        }

        if (LocalRabbitMqNode.FindServerScript() is { } script)
        {
            var node = builder.AddLocalRabbitMqNode(ResourceName, script, Path.Combine(builder.DataDirectory(options), "rabbitmq"));
            return new BrokerChoice(node, $"a private rabbitmq-server node ({node.Resource.NodeName}), " +
                $"AMQP on 127.0.0.1:{node.Resource.AmqpPort}, management {node.Resource.ManagementUrl} (guest/guest)",
                node.Resource.ManagementUrl);
        }

        return new BrokerChoice(null,
            "none, HTTP mode (no ConnectionStrings__rabbitmq, no container runtime, and rabbitmq-server is not installed: " +
            "'apt-get install rabbitmq-server' enables the bus)");
    }
}

using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

/// <summary>Waits for the broker's own statistics, which the management API refreshes every second or so.</summary>
public static class BrokerEvidence
{
    /// <summary>The queue LlmServer replicas consume teacher turns from (docs/contracts.md).</summary>
    public const string TeacherTurnsQueue = "bridge-llmserver-teacher-turns";

    /// <summary>What a running LlmServer declares for itself: its consumer queue, the exchange of the same name, and the
    /// request message's exchange bound to it (as <see cref="BridgeEntitiesAsync"/> names them).</summary>
    public static readonly IReadOnlySet<string> LlmServerEntities = new HashSet<string>(StringComparer.Ordinal)
    {
        $"queue {TeacherTurnsQueue}",
        $"exchange {TeacherTurnsQueue}",
        "exchange bridge.GenerateTeacherTurn",
        // The reviewer's queue, declared by the same running LlmServer when it reconnects.
        "queue bridge-llmserver-reviews",
        "exchange bridge-llmserver-reviews",
        "exchange bridge.ReviewLearnerReply",
    };

    public static async Task<BrokerQueue> WaitForQueueAsync(
        RabbitMqManagementClient management, string virtualHost, string queue, Func<BrokerQueue, bool> until, TimeSpan timeout)
    {
        var last = await Poll.UntilAsync(() => management.QueueAsync(virtualHost, queue), q => q is not null && until(q), timeout);
        return last ?? throw new ShouldAssertException($"Queue {queue} does not exist in vhost {virtualHost}.");
    }

    /// <summary>Messages each consumer channel of <paramref name="queue"/> has been handed, keyed by its connection.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> DeliveriesByConnectionAsync(
        RabbitMqManagementClient management, string virtualHost, string queue)
    {
        var deliveries = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var consumer in (await management.ConsumersAsync(virtualHost)).Where(c => c.Queue.Name == queue))
        {
            var channel = await management.ChannelAsync(consumer.ChannelDetails.Name);
            var delivered = channel?.MessageStats?.DeliverGet ?? 0;
            deliveries[consumer.ChannelDetails.ConnectionName] =
                deliveries.GetValueOrDefault(consumer.ChannelDetails.ConnectionName) + delivered;
        }

        return deliveries;
    }

    public static async Task<IReadOnlyList<string>> BridgeEntitiesAsync(RabbitMqManagementClient management, string virtualHost)
    {
        var queues = (await management.QueuesAsync(virtualHost)).Select(q => $"queue {q.Name}");
        var exchanges = (await management.ExchangesAsync(virtualHost)).Select(e => $"exchange {e.Name}");
        return [.. queues.Concat(exchanges).Where(e => e.Split(' ', 2)[1].StartsWith("bridge", StringComparison.OrdinalIgnoreCase))];
    }
}

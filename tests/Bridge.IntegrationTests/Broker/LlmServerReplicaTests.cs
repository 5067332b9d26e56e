using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class LlmServerReplicaTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task Two_llmserver_replicas_share_turns_and_killing_one_mid_session_loses_no_turn()
    {
        const int maxExchanges = 40;
        var virtualHost = await broker.CreateVirtualHostAsync();
        await using var stack = await Stacks.StartAsync(broker, virtualHost, llmServerReplicas: 2);
        var observationsBefore = await stack.CerebrumObservationsAsync();

        var sessionId = await stack.StartSessionAsync(maxExchanges, delay: 0.2);
        await stack.WaitForSessionAsync(sessionId, s => s.Exchanges() >= 8, TimeSpan.FromSeconds(60));

        // Both replicas consume from the one queue, and the broker has handed turns to each of them.
        var queue = await BrokerEvidence.WaitForQueueAsync(
            broker.Management, virtualHost, BrokerEvidence.TeacherTurnsQueue, q => q.Consumers >= 2, TimeSpan.FromSeconds(10));
        queue.Consumers.ShouldBe(2);
        var deliveries = await WaitForDeliveriesToEveryConsumerAsync(virtualHost, TimeSpan.FromSeconds(15));
        deliveries.Count.ShouldBe(2, "two replica connections should consume teacher turns");
        deliveries.Values.ShouldAllBe(delivered => delivered > 0, $"deliveries per replica: {string.Join(", ", deliveries)}");

        await stack.LlmServers[0].KillAsync();
        var atKill = (await stack.GetSessionAsync(sessionId)).Exchanges();
        var session = await stack.WaitForSessionEndAsync(sessionId, TimeSpan.FromSeconds(120));

        atKill.ShouldBeLessThan(maxExchanges, "the kill should land mid-session; lengthen the session");

        session.Status().ShouldBe("completed", $"{session}\n{stack.Diagnostics()}");
        session.Exchanges().ShouldBe(maxExchanges);
        (await stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(maxExchanges);
        var afterKill = await BrokerEvidence.WaitForQueueAsync(
            broker.Management, virtualHost, BrokerEvidence.TeacherTurnsQueue, q => q.Consumers == 1, TimeSpan.FromSeconds(10));
        afterKill.Consumers.ShouldBe(1, "the killed replica's consumer should be gone");
    }

    private Task<IReadOnlyDictionary<string, long>> WaitForDeliveriesToEveryConsumerAsync(string virtualHost, TimeSpan timeout) =>
        Poll.UntilAsync(
            () => BrokerEvidence.DeliveriesByConnectionAsync(broker.Management, virtualHost, BrokerEvidence.TeacherTurnsQueue),
            deliveries => deliveries.Count >= 2 && deliveries.Values.All(d => d > 0), timeout);
}

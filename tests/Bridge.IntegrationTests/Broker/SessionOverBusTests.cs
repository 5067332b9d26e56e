using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class SessionOverBusTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task Session_with_a_broker_sends_every_teacher_turn_through_rabbitmq()
    {
        const int maxExchanges = 8;
        var virtualHost = await broker.CreateVirtualHostAsync();
        await using var stack = await Stacks.StartAsync(broker, virtualHost);
        var observationsBefore = await stack.CerebrumObservationsAsync();

        var sessionId = await stack.StartSessionAsync(maxExchanges, delay: 0);
        var session = await stack.WaitForSessionEndAsync(sessionId, TimeSpan.FromSeconds(60));

        session.Status().ShouldBe("completed", $"{session}\n{stack.Diagnostics()}");
        session.Exchanges().ShouldBe(maxExchanges);
        (await stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(maxExchanges);

        // The broker's own counters, not a flag in the middleware: every turn was published to the teachers'
        // queue and delivered to an LlmServer consumer.
        var queue = await BrokerEvidence.WaitForQueueAsync(
            broker.Management, virtualHost, BrokerEvidence.TeacherTurnsQueue,
            q => q.MessageStats is { Publish: >= maxExchanges, DeliverGet: >= maxExchanges }, TimeSpan.FromSeconds(15));
        queue.MessageStats.ShouldNotBeNull($"{queue.Name} has no message statistics");
        queue.MessageStats.Publish.ShouldBeGreaterThanOrEqualTo(maxExchanges);
        queue.MessageStats.DeliverGet.ShouldBeGreaterThanOrEqualTo(maxExchanges);
        queue.Consumers.ShouldBe(1);
    }
}

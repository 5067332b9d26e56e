using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class BrokerRestartTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task Broker_restarted_mid_session_still_finishes_with_exactly_max_exchanges_counted_once()
    {
        const int maxExchanges = 30;
        var virtualHost = await broker.CreateVirtualHostAsync();
        await using var stack = await Stacks.StartAsync(broker, virtualHost);
        var observationsBefore = await stack.CerebrumObservationsAsync();

        var sessionId = await stack.StartSessionAsync(maxExchanges, delay: 0.5);
        await stack.WaitForExchangesAsync(sessionId, 3, TimeSpan.FromSeconds(60));
        await broker.StopBrokerAsync();
        var atOutage = await stack.ExchangesAsync(sessionId);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var duringOutage = await stack.ExchangesAsync(sessionId);
        await broker.StartBrokerAsync();

        var session = await stack.WaitForSessionEndAsync(sessionId, TimeSpan.FromSeconds(120));

        atOutage.ShouldBeLessThan(maxExchanges, "the outage should land mid-session; lengthen the session");
        if (broker.CanStopBroker)
        {
            // Teacher turns only travel over the bus: with the broker gone, at most the exchange in flight completes.
            duringOutage.ShouldBeLessThanOrEqualTo(atOutage + 1);
        }

        session["status"]!.GetValue<string>().ShouldBe("completed", $"{session.ToJsonString()}{Environment.NewLine}{stack.RecentOutput()}");
        session["exchanges"]!.GetValue<int>().ShouldBe(maxExchanges);
        (await stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(maxExchanges);

        // Statistics start afresh with the node, so turns counted now went through the broker after it came back.
        var queue = await BrokerEvidence.WaitForQueueAsync(
            broker.Management, virtualHost, BrokerEvidence.TeacherTurnsQueue,
            q => q.MessageStats?.Publish >= maxExchanges - duringOutage, TimeSpan.FromSeconds(15));
        queue.MessageStats.ShouldNotBeNull("no teacher turn went through the broker after it restarted");
        queue.MessageStats.Publish.ShouldBeGreaterThanOrEqualTo(maxExchanges - duringOutage);
    }
}

using System.Net;
using System.Net.Http.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

[Collection(BrokerCollection.Name)]
public sealed class TopologyRemovalTests(RabbitMqFixture broker)
{
    private const int MaxExchanges = 3;

    [Fact]
    public async Task Middleware_uninstall_leaves_no_bridge_queue_or_exchange_while_cerebrum_and_llmserver_keep_serving()
    {
        var virtualHost = await broker.CreateVirtualHostAsync();
        await using var stack = await Stacks.StartAsync(broker, virtualHost);
        await RunSessionAndCheckTopologyDeclaredAsync(stack, virtualHost);

        await stack.Middleware.StopAsync(TimeSpan.FromSeconds(15));
        var (exitCode, output) = await stack.RunMiddlewareCommandAsync(TimeSpan.FromSeconds(60), ["--uninstall"]);

        exitCode.ShouldBe(0, output);
        (await BrokerEvidence.BridgeEntitiesAsync(broker.Management, virtualHost)).ShouldBeEmpty(output);
        await NothingOfTheMiddlewareReturnsAsync(virtualHost);
        await CerebrumAndLlmServerKeepServingAsync(stack);
    }

    [Fact]
    public async Task Delete_broker_topology_endpoint_leaves_no_bridge_queue_or_exchange_while_cerebrum_and_llmserver_keep_serving()
    {
        var virtualHost = await broker.CreateVirtualHostAsync();
        await using var stack = await Stacks.StartAsync(broker, virtualHost);
        await RunSessionAndCheckTopologyDeclaredAsync(stack, virtualHost);

        using var response = await stack.Http.DeleteAsync(new Uri(stack.Middleware.Url, "/api/broker/topology"));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        (await BrokerEvidence.BridgeEntitiesAsync(broker.Management, virtualHost)).ShouldBeEmpty(body);
        await NothingOfTheMiddlewareReturnsAsync(virtualHost);
        await CerebrumAndLlmServerKeepServingAsync(stack);
    }

    private async Task RunSessionAndCheckTopologyDeclaredAsync(BridgeStack stack, string virtualHost)
    {
        var sessionId = await stack.StartSessionAsync(MaxExchanges, delay: 0);
        var session = await stack.WaitForSessionEndAsync(sessionId, TimeSpan.FromSeconds(60));
        session.Status().ShouldBe("completed", $"{session}\n{stack.Diagnostics()}");

        var declared = await BrokerEvidence.BridgeEntitiesAsync(broker.Management, virtualHost);
        declared.ShouldContain(e => e.StartsWith("queue bridge-middleware", StringComparison.Ordinal), string.Join(", ", declared));
        declared.ShouldContain($"queue {BrokerEvidence.TeacherTurnsQueue}");
    }

    /// <summary>
    /// A running LlmServer that still has the broker configured re-declares its own consumer queue (and the request
    /// exchange bound to it) when the broker cancels its consumer: that is LlmServer's topology. Nothing of the
    /// middleware may come back.
    /// </summary>
    private async Task NothingOfTheMiddlewareReturnsAsync(string virtualHost)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        var afterwards = await BrokerEvidence.BridgeEntitiesAsync(broker.Management, virtualHost);
        afterwards.ShouldAllBe(e => BrokerEvidence.LlmServerEntities.Contains(e), $"re-declared after removal: {string.Join(", ", afterwards)}");
    }

    private static async Task CerebrumAndLlmServerKeepServingAsync(BridgeStack stack)
    {
        (await stack.CerebrumObservationsAsync()).ShouldBe(MaxExchanges);
        using var teacher = await stack.Http.PostAsJsonAsync(new Uri(stack.LlmServers[0].Url, "/api/chat"), new { message = "Hello!" });
        teacher.StatusCode.ShouldBe(HttpStatusCode.OK, await teacher.Content.ReadAsStringAsync());
    }
}

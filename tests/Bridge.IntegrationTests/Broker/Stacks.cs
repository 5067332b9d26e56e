using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

/// <summary>Starts a <see cref="BridgeStack"/> on the test broker, in one vhost: embedded teacher, the bus
/// for Middleware and LlmServer, Cerebrum on HTTP only.</summary>
public static class Stacks
{
    public static Task<BridgeStack> StartAsync(RabbitMqFixture broker, string virtualHost, int llmServerReplicas = 1) =>
        BridgeStack.StartAsync(new BridgeStackOptions
        {
            BrokerConnectionString = broker.ConnectionStringFor(virtualHost),
            BrokerManagementUri = broker.Management.BaseAddress,
            LlmServerReplicas = llmServerReplicas,
            // The embedded teacher answers in milliseconds: a reply lost with a broker going down is retried after
            // 15 s rather than the 180 s a slow local model needs. Retries stay short for the same reason.
            MiddlewareEnvironment = new Dictionary<string, string?>
            {
                ["Middleware__TeacherTimeoutSeconds"] = "15",
                ["Middleware__MaxRetryDelaySeconds"] = "5",
            },
        });
}

using Bridge.Testing;
using Bridge.Testing.Broker;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

/// <summary>Starts a <see cref="ScratchStack"/> on the test broker, in one vhost: embedded teacher, the bus
/// for Middleware and LlmServer, Cerebrum on HTTP only.</summary>
public static class Stacks
{
    private static readonly ConsoleLog Console = new();

    public static Task<ScratchStack> StartAsync(RabbitMqFixture broker, string virtualHost, int llmServerReplicas = 1) =>
        ScratchStack.StartAsync(
            new ScratchStackOptions
            {
                BrokerConnectionString = broker.ConnectionStringFor(virtualHost),
                BrokerManagementUri = broker.Management.BaseAddress,
                LlmServerReplicas = llmServerReplicas,
                Teacher = "embedded",
                // The embedded teacher answers in milliseconds: a reply lost with a broker going down is retried after
                // 15 s rather than the 180 s a slow local model needs. Retries stay short for the same reason.
                ExtraEnvironment = new Dictionary<string, string?>
                {
                    ["Middleware__TeacherTimeoutSeconds"] = "15",
                    ["Middleware__MaxRetryDelaySeconds"] = "5",
                },
            },
            Console);
}

using System.Diagnostics;
using System.Text.Json;
using Bridge.IntegrationTests.Broker;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Faults;

/// <summary>
/// The issue-11 set-up: real processes on a real broker, one fresh vhost, LlmServer replicas consuming the teacher
/// queue, and a middleware whose HTTP address for LlmServer is dead, so only the bus carries teacher turns. Every fault
/// is injected at a step the session is provably waiting on: something it needs next is frozen first, the wait is
/// observed (a message on the teacher queue, an unread request in a socket), then the fault lands.
/// </summary>
public sealed class BusOnlyStack(BridgeStack stack, RabbitMqFixture broker, string virtualHost) : IAsyncDisposable
{
    private BrokerDown brokerDown = BrokerDown.No;

    private enum BrokerDown
    {
        No,
        App,
        Node,
    }

    /// <summary>Upper bound of every wait for an observed event; the machine is shared, so it is generous.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public BridgeStack Stack => stack;

    public RabbitMqFixture Broker => broker;

    public string VirtualHost => virtualHost;

    /// <summary>
    /// Short deadlines for a teacher that answers in milliseconds: a request or publish lost with the broker is given
    /// up after a few seconds and retried, rather than after the 180 s a slow local model needs.
    /// </summary>
    public static async Task<BusOnlyStack> StartAsync(RabbitMqFixture broker, int llmServerReplicas)
    {
        var virtualHost = await broker.CreateVirtualHostAsync();
        var stack = await BridgeStack.StartAsync(new BridgeStackOptions
        {
            BrokerConnectionString = broker.ConnectionStringFor(virtualHost),
            LlmServerReplicas = llmServerReplicas,
            MiddlewareReachesLlmServerOverHttp = false,
            MiddlewareEnvironment = new Dictionary<string, string?>
            {
                ["Middleware__TeacherTimeoutSeconds"] = "2",
                ["Middleware__PublishTimeoutSeconds"] = "1",
                // The review request goes to the same frozen replicas: it gives up as quickly as a teacher request.
                ["Reviews__TimeoutSeconds"] = "2",
                ["Middleware__RetryDelaySeconds"] = "0.25",
                ["Middleware__MaxRetryDelaySeconds"] = "1",
            },
        });
        var bus = new BusOnlyStack(stack, broker, virtualHost);
        try
        {
            await bus.WaitForTeacherConsumersAsync(llmServerReplicas);
            return bus;
        }
        catch
        {
            await bus.DisposeAsync();
            throw;
        }
    }

    public async Task WaitForTeacherConsumersAsync(int consumers)
    {
        var queue = await BrokerEvidence.WaitForQueueAsync(broker.Management, virtualHost, BrokerEvidence.TeacherTurnsQueue,
            q => q.Consumers == consumers, Patience);
        queue.Consumers.ShouldBe(consumers, $"consumers of {BrokerEvidence.TeacherTurnsQueue}\n{stack.Diagnostics()}");
    }

    /// <summary>
    /// Freezes every LlmServer replica and returns once a teacher request waits for them: unread in a replica's socket
    /// (seen at once) or on the queue (the management API's statistics lag by a second or more).
    /// </summary>
    public async Task HoldTeacherRequestAsync()
    {
        var frozen = FreezeTeacher();
        await WaitForHeldTeacherRequestAsync(frozen);
    }

    /// <summary>Freezes every live LlmServer replica; returns them.</summary>
    public IReadOnlyList<ServiceProcess> FreezeTeacher()
    {
        var frozen = stack.LlmServers.Where(r => !r.HasExited).ToList();
        foreach (var replica in frozen)
        {
            replica.Freeze();
        }

        return frozen;
    }

    public Task WaitForHeldTeacherRequestAsync(IReadOnlyList<ServiceProcess> frozen) => WaitUntilAsync(
        async () => frozen.Any(r => LoopbackSockets.HasUnreadBytes(r.ProcessId))
            || (await broker.Management.QueueAsync(virtualHost, BrokerEvidence.TeacherTurnsQueue))?.Messages >= 1,
        "teacher request waiting for the frozen replicas");

    public void ReleaseTeacher()
    {
        foreach (var replica in stack.LlmServers.Where(r => !r.HasExited))
        {
            replica.Thaw();
        }
    }

    /// <summary>
    /// Holds the session at the learner: returns once the middleware's request sits unread in the socket of a frozen
    /// Cerebrum. Cerebrum is frozen while the session provably waits on the teacher (held first, then let go), so it
    /// cannot have read the learner request already: frozen at a random moment, it is often caught halfway through one,
    /// and the session then waits out a whole Cerebrum attempt timeout (30 s) before a request shows as unread.
    /// </summary>
    public async Task HoldLearnerRequestAsync()
    {
        await HoldTeacherRequestAsync();
        stack.Cerebrum.Freeze();
        ReleaseTeacher();
        await WaitUntilAsync(() => Task.FromResult(LoopbackSockets.HasUnreadRequest(stack.Cerebrum.Port)), "a learner request waiting at the frozen Cerebrum");
    }

    /// <summary>The replica holding an unacknowledged teacher turn (all replicas frozen, so none can finish one).</summary>
    public async Task<ServiceProcess> ReplicaHoldingATurnAsync()
    {
        ServiceProcess? holder = null;
        await WaitUntilAsync(async () =>
        {
            var holding = (await broker.Management.ChannelsAsync(virtualHost)).Where(c => c.MessagesUnacknowledged > 0).ToList();
            holder = stack.LlmServers.FirstOrDefault(r => !r.HasExited && holding.Any(c => LoopbackSockets.Owns(r.ProcessId, c.ConnectionDetails.PeerPort)));
            return holder is not null;
        }, "an LlmServer replica holding an unacknowledged teacher turn");
        return holder!;
    }

    /// <summary>Takes the broker away: its application (<c>stop_app</c>), or with <paramref name="wholeNode"/> the node itself.</summary>
    public async Task StopBrokerAsync(bool wholeNode = false)
    {
        brokerDown = wholeNode ? BrokerDown.Node : BrokerDown.App;
        await (wholeNode ? broker.StopBrokerAsync() : broker.StopBrokerAppAsync());
    }

    /// <summary>
    /// Stops the broker with a teacher request held (<see cref="HoldTeacherRequestAsync"/>) and lets the replicas go
    /// as soon as the broker stops listening: a broker closing connections to frozen clients waits for each of them.
    /// </summary>
    public async Task StopBrokerReleasingTeacherAsync(bool wholeNode = false)
    {
        var stopping = StopBrokerAsync(wholeNode);
        var amqpPort = new Uri(broker.ConnectionStringFor(virtualHost)).Port;
        await WaitUntilAsync(async () => stopping.IsCompleted || !await AcceptsConnectionsAsync(amqpPort), "broker listener closing");
        ReleaseTeacher();
        await stopping;
    }

    /// <summary>Brings the broker back; returns once its management API answers (the moment the broker has returned).</summary>
    public async Task StartBrokerAsync()
    {
        await (brokerDown == BrokerDown.Node ? broker.StartBrokerAsync() : broker.StartBrokerAppAsync());
        brokerDown = BrokerDown.No;
    }

    public async Task<JsonElement> WaitForExchangesAsync(Guid sessionId, int atLeast)
    {
        var session = await stack.WaitForSessionAsync(sessionId, s => s.Exchanges() >= atLeast || !s.IsActive(), Patience);
        session.IsActive().ShouldBeTrue($"session {sessionId} ended before {atLeast} exchanges: {session}\n{stack.Diagnostics()}");
        return session;
    }

    /// <summary>
    /// Waits until the session shows <c>paused</c> with an error that starts with <paramref name="errorPrefix"/> from a
    /// failed attempt made after this call: with the broker down, proof that a deadline fired instead of a hang.
    /// </summary>
    public async Task<JsonElement> WaitForNewPauseAsync(Guid sessionId, string errorPrefix)
    {
        var now = await stack.GetSessionAsync(sessionId);
        var attemptsBefore = now.Status() == "paused" ? now.GetProperty("retry_attempt").GetInt32() : 0;
        return await stack.WaitForSessionAsync(sessionId, s => s.Status() == "paused"
            && s.GetProperty("retry_attempt").GetInt32() > attemptsBefore
            && s.GetProperty("last_error").GetString()?.StartsWith(errorPrefix, StringComparison.Ordinal) == true, Patience);
    }

    public async ValueTask DisposeAsync()
    {
        // A frozen process cannot act on anything; thawing first lets SIGKILL and the broker see it go.
        foreach (var service in stack.Services.Where(s => !s.HasExited))
        {
            service.Thaw();
        }

        await stack.DisposeAsync();

        // A test that failed mid-outage must not leave the collection's broker down for the next one.
        if (brokerDown != BrokerDown.No)
        {
            await StartBrokerAsync();
        }

        try
        {
            await broker.Management.DeleteVirtualHostAsync(virtualHost);
        }
        catch (HttpRequestException)
        {
            // Clean-up is best effort: a broker that is gone must not hide why the test failed.
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, attempt.Token);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        if (await Poll.UntilAsync(condition, held => held, Patience, interval: TimeSpan.FromMilliseconds(100)))
        {
            return;
        }

        throw new TimeoutException($"No {what} within {Patience.TotalSeconds:0} s.\n{stack.Diagnostics()}");
    }
}

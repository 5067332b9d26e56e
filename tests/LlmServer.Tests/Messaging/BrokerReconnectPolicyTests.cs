using System.Reflection;
using MassTransit;
using MassTransit.Configuration;
using LlmServer.Messaging;
using RabbitMQ.Client.Exceptions;

namespace LlmServer.Tests.Messaging;

/// <summary>The bus reconnects within seconds however many outages came before (MassTransit's own policy grows to 30 s and never resets).</summary>
public sealed class BrokerReconnectPolicyTests
{
    [Fact]
    public void The_shipped_MassTransit_takes_the_policy_in_place_of_its_own()
    {
        string before = "", after = "";
        var applied = false;
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            before = HostPolicy(rabbit).ToString() ?? "";
            applied = BrokerReconnectPolicy.TryApply(rabbit);
            after = HostPolicy(rabbit).ToString() ?? "";
        });

        applied.ShouldBeTrue("MassTransit moved its receive-transport retry policy: BrokerReconnectPolicy.TryApply must follow it");
        before.ShouldContain("max 30000ms");
        after.ShouldContain($"max {BrokerReconnectPolicy.MaxInterval.TotalMilliseconds}ms");
    }

    [Fact]
    public void Every_retry_waits_at_most_the_cap_plus_jitter_and_it_never_gives_up()
    {
        var policy = BrokerReconnectPolicy.Create();
        // What MassTransit throws while the broker is away.
        var outage = new RabbitMqConnectionException("Broker unreachable: guest@localhost:5672/", new BrokerUnreachableException(new IOException("connection refused")));
        var context = policy.CreatePolicyContext(new RetryTestContext());
        context.CanRetry(outage, out var retry).ShouldBeTrue();
        var delays = new List<TimeSpan>();
        for (var attempt = 0; attempt < 500; attempt++)
        {
            delays.Add(retry.Delay ?? TimeSpan.Zero);
            retry.CanRetry(outage, out var next).ShouldBeTrue($"gave up after {attempt} retries");
            retry = next;
        }

        delays.Max().ShouldBeLessThanOrEqualTo(BrokerReconnectPolicy.MaxInterval * 1.25);
        policy.IsHandled(new AuthenticationFailureException("bad password")).ShouldBeFalse("a wrong password is not an outage");
    }

    private static IRetryPolicy HostPolicy(IRabbitMqBusFactoryConfigurator rabbit) =>
        ((IHostConfiguration)rabbit.GetType().GetField("_hostConfiguration", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(rabbit)!)
        .ReceiveTransportRetryPolicy;

    private sealed class RetryTestContext() : MassTransit.Middleware.BasePipeContext(CancellationToken.None), PipeContext;
}

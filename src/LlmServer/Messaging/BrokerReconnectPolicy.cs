using System.Reflection;
using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client.Exceptions;

namespace LlmServer.Messaging;

/// <summary>
/// How soon a receive endpoint reconnects after the broker comes back. MassTransit 8.5 gives each endpoint one retry
/// context for its whole life (3 s, 6 s, 12 s … up to 30 s, ±25 %) and never resets it after a reconnect, so every
/// outage starts where the last one stopped: in ten broker restarts one session's recovery grew from 22 to 43 s and,
/// on a loaded machine, past 90 s. This policy keeps MassTransit's own exception filters and caps the wait at 5 s, for
/// as long as the broker stays away (no retry limit: an endpoint that gave up would never receive again).
/// The middleware and LlmServer each hold a copy, as they do of the contracts: a service may share no project but
/// ServiceDefaults, which Cerebrum references too and which must stay free of MassTransit (the architecture tests).
/// </summary>
public static class BrokerReconnectPolicy
{
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(5);

    public static IRetryPolicy Create() => Retry.CreatePolicy(retry =>
    {
        // The same filters as MassTransit.RabbitMqTransport's RabbitMqHostConfiguration: only when to retry changes.
        retry.Handle<ConnectionException>();
        retry.Handle<AlreadyClosedException>();
        retry.Handle<EndOfStreamException>();
        retry.Handle<OperationInterruptedException>(exception => exception.ChannelShouldBeClosed());
        retry.Handle<NotSupportedException>(exception => exception.Message.Contains("Pipelining of requests forbidden", StringComparison.Ordinal));
        retry.Ignore<AuthenticationFailureException>();
        retry.Exponential(int.MaxValue, TimeSpan.FromSeconds(1), MaxInterval, TimeSpan.FromSeconds(1));
    });

    /// <summary>
    /// Puts <see cref="Create"/> in place of the host's receive (and so send) transport retry policy, before the bus
    /// starts. MassTransit has no public setter for it, so this writes the two private fields it is held in; it returns
    /// false, changing nothing, when a MassTransit version lays them out differently (a test fails then, so an upgrade is noticed).
    /// </summary>
    public static bool TryApply(IRabbitMqBusFactoryConfigurator rabbit)
    {
        const BindingFlags instance = BindingFlags.Instance | BindingFlags.NonPublic;
        var host = rabbit.GetType().GetField("_hostConfiguration", instance)?.GetValue(rabbit);
        var policy = host?.GetType().GetField($"<{nameof(MassTransit.Configuration.IHostConfiguration.ReceiveTransportRetryPolicy)}>k__BackingField", instance);
        if (host is null || policy is null || policy.FieldType != typeof(IRetryPolicy))
        {
            return false;
        }

        policy.SetValue(host, Create());
        return true;
    }
}

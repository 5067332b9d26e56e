using MassTransit;
using Middleware.Events;
using Middleware.Messaging.Contracts;

namespace Middleware.Messaging.Consumers;

/// <summary>Feeds completed exchanges from the bus into the live event hub (the SSE stream and the dashboard).</summary>
public sealed class ExchangeCompletedConsumer(TrainingEventHub hub) : IConsumer<ExchangeCompleted>
{
    public Task Consume(ConsumeContext<ExchangeCompleted> context)
    {
        hub.Publish(new TrainingEvent(TrainingEvent.ExchangeCompleted, context.Message));
        return Task.CompletedTask;
    }
}

public sealed class TrainingSessionStartedConsumer(TrainingEventHub hub) : IConsumer<TrainingSessionStarted>
{
    public Task Consume(ConsumeContext<TrainingSessionStarted> context)
    {
        hub.Publish(new TrainingEvent(TrainingEvent.SessionStarted, context.Message));
        return Task.CompletedTask;
    }
}

public sealed class TrainingSessionEndedConsumer(TrainingEventHub hub) : IConsumer<TrainingSessionEnded>
{
    public Task Consume(ConsumeContext<TrainingSessionEnded> context)
    {
        hub.Publish(new TrainingEvent(TrainingEvent.SessionEnded, context.Message));
        return Task.CompletedTask;
    }
}

/// <summary>All three live-status consumers share one queue; a retry covers a hub that is briefly unavailable.</summary>
public sealed class LiveStatusConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public LiveStatusConsumerDefinition()
    {
        EndpointName = BrokerNames.LiveStatusQueue;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 1000));
    }
}

using Middleware.Messaging.Contracts;

namespace Middleware.Events;

/// <summary>Where the exchange loop announces what happened: straight to the live hub, or onto the bus.</summary>
public interface ITrainingEventPublisher
{
    Task PublishAsync(TrainingSessionStarted message, CancellationToken cancellationToken);

    Task PublishAsync(ExchangeCompleted message, CancellationToken cancellationToken);

    Task PublishAsync(TrainingSessionEnded message, CancellationToken cancellationToken);
}

/// <summary>Without a broker the loop's events go straight to the live hub.</summary>
public sealed class InProcessTrainingEventPublisher(TrainingEventHub hub) : ITrainingEventPublisher
{
    public Task PublishAsync(TrainingSessionStarted message, CancellationToken cancellationToken)
    {
        hub.Publish(new TrainingEvent(TrainingEvent.SessionStarted, message));
        return Task.CompletedTask;
    }

    public Task PublishAsync(ExchangeCompleted message, CancellationToken cancellationToken)
    {
        hub.Publish(new TrainingEvent(TrainingEvent.ExchangeCompleted, message));
        return Task.CompletedTask;
    }

    public Task PublishAsync(TrainingSessionEnded message, CancellationToken cancellationToken)
    {
        hub.Publish(new TrainingEvent(TrainingEvent.SessionEnded, message));
        return Task.CompletedTask;
    }
}

using MassTransit;
using Middleware.Events;
using Middleware.Messaging.Contracts;

namespace Middleware.Messaging;

/// <summary>Publishes training events on the bus. A broker that does not take an event in time costs that event,
/// never the exchange loop's progress.</summary>
public sealed class BusTrainingEventPublisher(IBus bus) : ITrainingEventPublisher
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public Task PublishAsync(TrainingSessionStarted message, CancellationToken cancellationToken) => PublishWithTimeoutAsync(message, cancellationToken);

    public Task PublishAsync(ExchangeCompleted message, CancellationToken cancellationToken) => PublishWithTimeoutAsync(message, cancellationToken);

    public Task PublishAsync(TrainingSessionEnded message, CancellationToken cancellationToken) => PublishWithTimeoutAsync(message, cancellationToken);

    private async Task PublishWithTimeoutAsync<T>(T message, CancellationToken cancellationToken) where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await bus.Publish(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own deadline, not the caller's cancellation: callers treat it as a lost event, not as shutdown.
            throw new TimeoutException($"The broker did not take {typeof(T).Name} within {PublishTimeout.TotalSeconds:0} s.");
        }
    }
}

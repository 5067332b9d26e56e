using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Middleware.Events;
using Middleware.Messaging.Contracts;
using Middleware.Sessions;

namespace Middleware.Messaging;

/// <summary>Publishes training events on the bus, each under a hard <see cref="Deadline"/> (MassTransit may neither finish
/// nor cancel a publish while its transport reconnects). Each event has a message id fixed by what it reports, so an
/// event published again after a missed deadline carries the same id as the first attempt.</summary>
public sealed class BusTrainingEventPublisher(IBus bus, IOptions<MiddlewareOptions> options) : ITrainingEventPublisher
{
    private readonly TimeSpan _deadline = TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds);

    public Task PublishAsync(TrainingSessionStarted message, CancellationToken cancellationToken) =>
        PublishUnderDeadlineAsync(message, $"{message.SessionId}:started", cancellationToken);

    public Task PublishAsync(ExchangeCompleted message, CancellationToken cancellationToken) =>
        PublishUnderDeadlineAsync(message, $"{message.ExchangeId}:completed", cancellationToken);

    public Task PublishAsync(TrainingSessionEnded message, CancellationToken cancellationToken) =>
        PublishUnderDeadlineAsync(message, $"{message.SessionId}:ended", cancellationToken);

    /// <summary>A name-based id: the same event always gets the same one.</summary>
    public static Guid MessageIdFor(string eventKey) => new(SHA256.HashData(Encoding.UTF8.GetBytes(eventKey)).AsSpan(0, 16));

    private Task PublishUnderDeadlineAsync<T>(T message, string eventKey, CancellationToken cancellationToken) where T : class
    {
        var messageId = MessageIdFor(eventKey);
        return Deadline.RunAsync(
            $"bus publish {typeof(T).Name}",
            _deadline,
            token => bus.Publish(message, context => context.MessageId = messageId, token),
            cancellationToken);
    }
}

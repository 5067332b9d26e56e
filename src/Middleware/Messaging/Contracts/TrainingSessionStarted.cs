using MassTransit;

namespace Middleware.Messaging.Contracts;

[MessageUrn("bridge:TrainingSessionStarted")]
public sealed record TrainingSessionStarted
{
    public Guid SessionId { get; init; }
    public int MaxExchanges { get; init; }
    public double DelaySeconds { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public DateTimeOffset StartedAt { get; init; }
}

using MassTransit;

namespace Middleware.Messaging.Contracts;

/// <summary><see cref="Reason"/> is completed, stopped or failed.</summary>
[MessageUrn("bridge:TrainingSessionEnded")]
public sealed record TrainingSessionEnded
{
    public Guid SessionId { get; init; }
    public int Exchanges { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset EndedAt { get; init; }
}

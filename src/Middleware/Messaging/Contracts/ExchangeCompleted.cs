using MassTransit;

namespace Middleware.Messaging.Contracts;

[MessageUrn("bridge:ExchangeCompleted")]
public sealed record ExchangeCompleted
{
    public Guid SessionId { get; init; }
    public int Sequence { get; init; }
    public string ExchangeId { get; init; } = "";
    public string Topic { get; init; } = "";
    public string TeacherMessage { get; init; } = "";
    public string LearnerResponse { get; init; } = "";
    public string LearnerPhase { get; init; } = "";
    public int LearnerObservations { get; init; }
    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>The exchange's review, or null when reviews are off.</summary>
    public Reviews.ExchangeReviewView? Review { get; init; }
}

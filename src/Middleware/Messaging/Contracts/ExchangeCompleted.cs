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

    /// <summary>The teacher of the session's pool that answered (<c>ollama/gemma3:1b</c>), as <see cref="Routing"/> has it;
    /// null when LlmServer's own chain chose. The teacher's words are <see cref="TeacherMessage"/>.</summary>
    public string? Teacher { get; init; }

    /// <summary>Which teacher of the session's pool answered and why, or null when LlmServer's own chain chose.</summary>
    public Routing.RoutingView? Routing { get; init; }
}

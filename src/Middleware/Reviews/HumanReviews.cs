using Middleware.Events;
using Middleware.Infrastructure;

namespace Middleware.Reviews;

/// <summary>
/// A person's approve or deny of an exchange. It outranks the teacher's verdict everywhere (summary, exports) and
/// reaches Cerebrum as feedback: score 1 or 0, with the person's correction, or on a denial the teacher's better reply.
/// </summary>
public sealed class HumanReviews(ReviewStore reviews, SessionStore sessions, FeedbackSignal signal, TrainingEventHub hub, TimeProvider time)
{
    /// <summary>The SSE event announcing a person's verdict, so every open dashboard shows it.</summary>
    public const string ExchangeReviewedEvent = "exchange_reviewed";

    /// <summary>Null when the session has no completed exchange with that sequence.</summary>
    public async Task<ReviewRecord?> DecideAsync(
        Guid sessionId, int sequence, bool approved, string? reason, string? correction, CancellationToken cancellationToken)
    {
        var exchange = (await sessions.GetCompletedExchangesAsync(sessionId, sequence - 1, 1, cancellationToken)).FirstOrDefault(e => e.Sequence == sequence);
        if (exchange is null)
        {
            return null;
        }

        var existing = await reviews.GetAsync(exchange.ExchangeId, cancellationToken);
        var feedbackCorrection = correction ?? (approved ? null : existing?.BetterReply);
        await reviews.SetHumanVerdictAsync(
            exchange.ExchangeId, sessionId, sequence, exchange.Topic, exchange.LearnerPhase,
            approved, reason, correction, FeedbackScale.FromHuman(approved), feedbackCorrection, time.GetUtcNow(), cancellationToken);
        signal.Notify();

        var stored = await reviews.GetAsync(exchange.ExchangeId, cancellationToken);
        if (stored is not null)
        {
            hub.Publish(new TrainingEvent(ExchangeReviewedEvent, new ExchangeReviewed(sessionId, sequence, exchange.ExchangeId, stored.ToView())));
        }

        return stored;
    }
}

public sealed record ExchangeReviewed(Guid SessionId, int Sequence, string ExchangeId, ExchangeReviewView Review);

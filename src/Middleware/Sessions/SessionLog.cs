namespace Middleware.Sessions;

/// <summary>The session log document: the JSON of <c>training_logs/session_*.json</c> and of <c>GET /api/training/log</c>.</summary>
public sealed record SessionLog(
    Guid SessionId,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    SessionStatus Status,
    string? EndReason,
    SessionLogConfig Config,
    IReadOnlyList<SessionLogExchange> Exchanges)
{
    public static SessionLog From(SessionRecord session, IEnumerable<ExchangeRecord> exchanges) => new(
        session.SessionId,
        session.StartedAt,
        session.EndedAt,
        session.Status,
        session.EndReason,
        new SessionLogConfig(session.Config.MaxExchanges, session.Config.Delay, session.Config.Topics, session.Config.TopicSwitchInterval),
        exchanges
            .Where(e => e.IsComplete)
            .Select(e => new SessionLogExchange(e.Sequence, e.ExchangeId, e.Topic, e.Teacher, e.Learner!, e.LearnerPhase ?? "", e.LearnerObservations ?? 0, e.CompletedAt ?? e.TeacherAt))
            .ToList());

    /// <summary>The same log with each exchange's review (kept in the review store) attached.</summary>
    public SessionLog WithReviews(IEnumerable<Reviews.ReviewRecord> reviews)
    {
        var bySequence = reviews.ToDictionary(r => r.Sequence);
        return this with
        {
            Exchanges = [.. Exchanges.Select(e => bySequence.TryGetValue(e.Sequence, out var review) ? e with { Review = review.ToView() } : e)],
        };
    }
}

public sealed record SessionLogConfig(int MaxExchanges, double Delay, IReadOnlyList<string> Topics, int TopicSwitchInterval);

public sealed record SessionLogExchange(
    int Sequence,
    string ExchangeId,
    string Topic,
    string Teacher,
    string Learner,
    string LearnerPhase,
    int LearnerObservations,
    DateTimeOffset Timestamp,
    Reviews.ExchangeReviewView? Review = null,
    Routing.RoutingView? Routing = null);

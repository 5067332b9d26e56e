namespace Middleware.Sessions;

// The session log document, training_logs/session_*.json, is SessionLogHeader's fields, "exchanges" (one
// SessionLogExchange per line) and SessionLogEnd's fields, in that order: the fields that change when a session ends
// come after the exchanges, so appending an exchange or ending the session rewrites only the document's tail.

/// <summary>What a session log opens with and never changes.</summary>
public sealed record SessionLogHeader(Guid SessionId, DateTimeOffset StartedAt, SessionLogConfig Config)
{
    public static SessionLogHeader From(SessionRecord session) => new(
        session.SessionId,
        session.StartedAt,
        new SessionLogConfig(session.Config.MaxExchanges, session.Config.Delay, session.Config.Topics, session.Config.TopicSwitchInterval));
}

/// <summary>What a session log closes with: the fields that change when the session ends.</summary>
public sealed record SessionLogEnd(DateTimeOffset? EndedAt, SessionStatus Status, string? EndReason)
{
    public static SessionLogEnd From(SessionRecord session) => new(session.EndedAt, session.Status, session.EndReason);
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
    Routing.RoutingView? Routing = null,
    string? TeacherName = null)
{
    /// <summary>The exchange with the teacher of the pool that answered it, at top level and in <see cref="Routing"/>.
    /// Here <c>teacher</c> has been the teacher's words since the first log format, so the name is <c>teacher_name</c>.</summary>
    public SessionLogExchange WithRouting(global::Middleware.Routing.RoutingView routing) => this with { Routing = routing, TeacherName = routing.Teacher };

    /// <summary>A completed exchange as the log shows it; null while it still waits for the learner.</summary>
    public static SessionLogExchange? From(ExchangeRecord e) => e.IsComplete
        ? new(e.Sequence, e.ExchangeId, e.Topic, e.Teacher, e.Learner!, e.LearnerPhase ?? "", e.LearnerObservations ?? 0, e.CompletedAt ?? e.TeacherAt)
        : null;
}

/// <summary>
/// A page of a session's completed exchanges (<c>?after=&lt;sequence&gt;&amp;limit=</c>): <see cref="Total"/> counts them
/// all; <see cref="NextAfter"/> and <see cref="Next"/> say how to ask for the following page, null on the last one.
/// </summary>
public sealed record ExchangePage(
    IReadOnlyList<SessionLogExchange> Exchanges,
    int Total,
    int After,
    int Limit,
    int? NextAfter,
    string? Next);

using Middleware.Sessions;

namespace Middleware.Apis;

/// <summary><c>GET /api/training/status</c>: the active sessions, and the latest session's fields at top level
/// (the seed's single-session shape).</summary>
public sealed record TrainingStatusResponse(
    bool Running,
    int ActiveSessions,
    Guid? SessionId,
    string Status,
    int Exchanges,
    int? MaxExchanges,
    string? Topic,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string? LastError,
    DateTimeOffset? NextRetryAt,
    IReadOnlyList<SessionView> Sessions);

public sealed record StopTrainingResponse(IReadOnlyList<Guid> StoppedSessionIds, string Message);

public sealed record SessionListResponse(int Count, IReadOnlyList<SessionView> Sessions);

/// <summary><c>GET /api/training/log</c>: the session log document (the file's fields) with one page of exchanges
/// and how to get the next.</summary>
public sealed record SessionLogPage(
    Guid SessionId,
    DateTimeOffset StartedAt,
    SessionLogConfig Config,
    IReadOnlyList<SessionLogExchange> Exchanges,
    DateTimeOffset? EndedAt,
    SessionStatus Status,
    string? EndReason,
    int Total,
    int After,
    int Limit,
    int? NextAfter,
    string? Next)
{
    public static SessionLogPage From(SessionRecord session, ExchangePage page)
    {
        var header = SessionLogHeader.From(session);
        return new(session.SessionId, session.StartedAt, header.Config, page.Exchanges, session.EndedAt, session.Status, session.EndReason,
            page.Total, page.After, page.Limit, page.NextAfter, page.Next);
    }
}

/// <summary><c>GET /api/training/sessions/{id}</c>: the session view and one page of its exchanges under <c>log</c>.</summary>
public sealed record SessionDetail : SessionView
{
    public SessionDetail(SessionView view, ExchangePage log)
        : base(view)
    {
        Log = log;
    }

    public ExchangePage Log { get; init; }
}

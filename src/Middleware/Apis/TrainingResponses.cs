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

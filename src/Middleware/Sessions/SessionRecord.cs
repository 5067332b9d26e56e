namespace Middleware.Sessions;

/// <summary>A session as stored; <see cref="Exchanges"/> counts exchanges whose learner reply is stored.</summary>
public sealed record SessionRecord(
    Guid SessionId,
    SessionStatus Status,
    SessionConfig Config,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    int Exchanges,
    string LogFile,
    string? LastError,
    int RetryAttempt,
    DateTimeOffset? NextRetryAt)
{
    public string CurrentTopic => Config.TopicFor(Math.Min(Status.IsActive() ? Exchanges + 1 : Exchanges, Config.MaxExchanges));
}

/// <summary>One teacher turn and, once Cerebrum answered, the learner's reply.</summary>
public sealed record ExchangeRecord(
    int Sequence,
    string ExchangeId,
    string Topic,
    string Teacher,
    DateTimeOffset TeacherAt,
    string? Learner,
    string? LearnerPhase,
    int? LearnerObservations,
    DateTimeOffset? CompletedAt)
{
    public bool IsComplete => Learner is not null;

    public static string IdFor(Guid sessionId, int sequence) => $"{sessionId:D}:{sequence}";
}

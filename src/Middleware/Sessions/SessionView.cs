namespace Middleware.Sessions;

/// <summary>A session as the control API shows it.</summary>
public record SessionView(
    Guid SessionId,
    SessionStatus Status,
    int Exchanges,
    int MaxExchanges,
    double Delay,
    string Topic,
    IReadOnlyList<string> Topics,
    int TopicSwitchInterval,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string? LastError,
    int RetryAttempt,
    DateTimeOffset? NextRetryAt,
    string LogFile)
{
    public static SessionView From(SessionRecord s) => new(
        s.SessionId, s.Status, s.Exchanges, s.Config.MaxExchanges, s.Config.Delay, s.CurrentTopic, s.Config.Topics,
        s.Config.TopicSwitchInterval, s.StartedAt, s.EndedAt, s.EndReason, s.LastError, s.RetryAttempt, s.NextRetryAt, s.LogFile);
}

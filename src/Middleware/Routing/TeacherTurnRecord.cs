namespace Middleware.Routing;

/// <summary>One attempt at a teacher turn, as stored in <c>teacher_turns</c>: who was asked, why, how it went, and
/// (once the exchange is reviewed) what it earned.</summary>
public sealed record TeacherTurnRecord(
    long Id,
    Guid SessionId,
    int Sequence,
    int Attempt,
    string Teacher,
    string Topic,
    DateTimeOffset At,
    long LatencyMs,
    string Outcome,
    string? Error,
    double? TeacherScore,
    double? LearnerScore,
    double? Reward,
    bool Reviewed,
    RoutingDecision Decision)
{
    public const string Answered = "answered";
    public const string Failed = "failed";
    public const string Empty = "empty";

    public bool IsAnswer => Outcome == Answered;
}

/// <summary>Why a teacher was chosen: the strategy, each candidate's sampled value under <c>learned</c>, whether the
/// exploration floor chose, and which teachers this exchange had already failed with.</summary>
public sealed record RoutingDecision(
    string Strategy,
    int Attempt,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(VerbatimKeysConverter<double>))] IReadOnlyDictionary<string, double>? Sampled,
    bool Explored,
    IReadOnlyList<string> Excluded,
    string Reason,
    int PoolSize = 1);

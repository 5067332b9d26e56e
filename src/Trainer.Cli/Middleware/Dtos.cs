using System.Text.Json;

namespace Trainer.Cli.Middleware;

// Only the fields the trainer shows; the middleware sends more (docs/contracts.md), and unknown fields are ignored.

public sealed record StartRequest(int? MaxExchanges, double? Delay, string? Topic);

public sealed record StartedSession(string SessionId, string? Status, int? MaxExchanges);

public sealed record TrainingStatus(bool Running, IReadOnlyList<SessionSummary>? Sessions);

public sealed record SessionSummary(string SessionId, string? Status, int Exchanges, int? MaxExchanges, string? Topic, string? LastError);

public sealed record CerebrumStatus(long Observations, long? Vocabulary, string? Phase);

public sealed record ExchangeEvent(string? SessionId, int Sequence, string? Topic, string? TeacherMessage, string? LearnerResponse, string? LearnerPhase, long? LearnerObservations);

public sealed record SessionLogDocument(IReadOnlyList<SessionLogExchange>? Exchanges, int? Total);

public sealed record SessionLogExchange(int Sequence, string? Topic, string? Teacher, string? Learner, string? LearnerPhase, long? LearnerObservations);

public sealed record ProblemDocument(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);

public static class Wire
{
    /// <summary>The contract's JSON: snake_case names (docs/contracts.md).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

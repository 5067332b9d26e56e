using Middleware.Sessions;

namespace Middleware.Routing;

/// <summary>
/// Which teacher of the pool answered an exchange and why, as the log, the session file and the SSE stream show it
/// (<c>"routing": {"teacher": "ollama/gemma3:1b", "strategy": "learned", "sampled": {...}}</c>). The name is also at
/// the exchange's top level: <c>teacher</c> in the SSE stream and the bus event, <c>teacher_name</c> in the log and the
/// file (whose <c>teacher</c> holds the teacher's words).
/// </summary>
public sealed record RoutingView(
    string Teacher,
    string Strategy,
    int Attempt,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(VerbatimKeysConverter<double>))] IReadOnlyDictionary<string, double>? Sampled,
    bool Explored,
    IReadOnlyList<string> Excluded,
    string Reason,
    long LatencyMs,
    double? Reward,
    IReadOnlyList<string> FailedBefore)
{
    /// <summary>The answered attempt of each exchange, with the teachers that failed it before.</summary>
    public static Dictionary<int, RoutingView> BySequence(IEnumerable<TeacherTurnRecord> attempts) =>
        attempts
            .GroupBy(a => a.Sequence)
            .Select(g => (g.Key, answer: g.LastOrDefault(a => a.IsAnswer), failed: g.Where(a => !a.IsAnswer).Select(a => a.Teacher).ToList()))
            .Where(g => g.answer is not null)
            .ToDictionary(g => g.Key, g => From(g.answer!, g.failed));

    public static RoutingView From(TeacherTurnRecord answer, IReadOnlyList<string> failedBefore) => new(
        answer.Teacher, answer.Decision.Strategy, answer.Decision.Attempt, answer.Decision.Sampled, answer.Decision.Explored,
        answer.Decision.Excluded, answer.Decision.Reason, answer.LatencyMs, answer.Reward, failedBefore);
}

public static class RoutingLogExtensions
{
    /// <summary>A page of exchanges with each one's routing; unchanged if the teacher record cannot be read.</summary>
    public static async Task<IReadOnlyList<SessionLogExchange>> AttachAsync(this TeacherRecordStore store, Guid sessionId,
        IReadOnlyList<SessionLogExchange> exchanges, CancellationToken cancellationToken)
    {
        try
        {
            var routing = RoutingView.BySequence(await store.ListAsync(sessionId, cancellationToken));
            return routing.Count == 0 ? exchanges : [.. exchanges.Select(e => routing.TryGetValue(e.Sequence, out var view) ? e.WithRouting(view) : e)];
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return exchanges;
        }
    }

    /// <summary>The session file's stream of exchanges with each one's routing (read once per write).</summary>
    public static async IAsyncEnumerable<SessionLogExchange> AttachTo(this TeacherRecordStore store, Guid sessionId,
        IAsyncEnumerable<SessionLogExchange> exchanges, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<int, RoutingView> routing;
        try
        {
            routing = RoutingView.BySequence(await store.ListAsync(sessionId, cancellationToken));
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            routing = [];
        }

        await foreach (var exchange in exchanges.WithCancellation(cancellationToken))
        {
            yield return routing.TryGetValue(exchange.Sequence, out var view) ? exchange.WithRouting(view) : exchange;
        }
    }

    /// <summary>The routing of one exchange, for its <c>ExchangeCompleted</c> event.</summary>
    public static async Task<RoutingView?> RoutingOfAsync(this TeacherRecordStore store, Guid sessionId, int sequence, CancellationToken cancellationToken) =>
        RoutingView.BySequence(await store.AttemptsAsync(sessionId, sequence, cancellationToken)).GetValueOrDefault(sequence);
}

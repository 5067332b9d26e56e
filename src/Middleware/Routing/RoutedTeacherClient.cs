using System.Diagnostics;
using Microsoft.Extensions.Options;
using Middleware.Teachers;

namespace Middleware.Routing;

/// <summary>
/// Puts the session's teacher pool in front of the transport (HTTP or bus): picks the teacher of each attempt, asks
/// LlmServer for that provider and model, and records the attempt (latency, failure, a provisional reward until the
/// review comes). A failure is rethrown unchanged, so the session loop pauses and retries as before; the next attempt
/// is routed again.
/// </summary>
public sealed class RoutedTeacherClient(
    ITeacherClient inner,
    TeacherRouter router,
    TeacherRecordStore store,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<RoutedTeacherClient> logger) : ITeacherClient
{
    public async Task<TeacherTurn> GenerateTurnAsync(TeacherTurnRequest request, CancellationToken cancellationToken)
    {
        if (await router.ChooseAsync(request, cancellationToken) is not { } choice)
        {
            return await inner.GenerateTurnAsync(request, cancellationToken);
        }

        var (teacher, decision) = choice;
        var started = Stopwatch.GetTimestamp();
        var at = time.GetUtcNow();
        TeacherTurn turn;
        try
        {
            turn = await inner.GenerateTurnAsync(request with { Provider = teacher.Provider, Model = teacher.Model }, cancellationToken);
        }
        catch (Exception ex) when (IsBrokenCircuit(ex))
        {
            // The middleware's own client refused to call LlmServer: nothing was asked of the teacher, so nothing is
            // charged to it. The session loop backs off and the next attempt is routed again.
            logger.LogInformation("Exchange {SessionId}:{Sequence} not sent to teacher {Teacher}: {Error}", request.SessionId, request.Sequence, teacher,
                Sessions.TransientErrors.Describe(ex));
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var outcome = ex is TeacherUnavailableException ? TeacherTurnRecord.Empty : TeacherTurnRecord.Failed;
            await store.AddAttemptAsync(Attempt(request, teacher, decision, at, latency, outcome, Sessions.TransientErrors.Describe(ex), options.Value.FailureReward), CancellationToken.None);
            logger.LogInformation("Teacher {Teacher} failed exchange {SessionId}:{Sequence} (attempt {Attempt}): {Error}",
                teacher, request.SessionId, request.Sequence, decision.Attempt, ex.Message);
            // A teacher LlmServer refuses outright (a provider it has not configured) is that teacher's failure, not the
            // session's: while another teacher of the pool has not failed this exchange, the loop retries with it.
            if (!Sessions.TransientErrors.IsTransient(ex, cancellationToken) && decision.Excluded.Count + 1 < decision.PoolSize)
            {
                throw new TeacherUnavailableException($"teacher {teacher}: {Sessions.TransientErrors.Describe(ex)}");
            }

            throw;
        }

        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await store.AddAttemptAsync(Attempt(request, teacher, decision, at, elapsed, TeacherTurnRecord.Answered, null,
            TeacherReward.Provisional(elapsed, options.Value)), CancellationToken.None);
        return turn;
    }

    /// <summary>Refit wraps what the HTTP pipeline throws, so the circuit breaker's refusal may be an inner exception.</summary>
    private static bool IsBrokenCircuit(Exception? ex)
    {
        for (var depth = 0; ex is not null && depth < 5; ex = ex.InnerException, depth++)
        {
            if (ex is Polly.CircuitBreaker.BrokenCircuitException)
            {
                return true;
            }
        }

        return false;
    }

    private static TeacherTurnRecord Attempt(TeacherTurnRequest request, TeacherName teacher, RoutingDecision decision, DateTimeOffset at,
        long latencyMs, string outcome, string? error, double reward) =>
        new(0, request.SessionId, request.Sequence, decision.Attempt, teacher.ToString(), request.Topic, at, latencyMs, outcome, error,
            null, null, reward, false, decision);
}

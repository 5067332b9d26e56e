using Microsoft.Extensions.Options;
using Middleware.Teachers;

namespace Middleware.Routing;

/// <summary>Chooses the teacher of one attempt at a teacher turn, by the session's strategy. A teacher that already
/// failed this exchange is left out of the next attempt while another one is left: that is the fallback.</summary>
public sealed class TeacherRouter(SessionPlans plans, TeacherRecordStore store, IOptions<RoutingOptions> options)
{
    /// <summary>Null when the session has no pool: LlmServer's own chain chooses, as it always did.</summary>
    public async Task<(TeacherName Teacher, RoutingDecision Decision)?> ChooseAsync(TeacherTurnRequest request, CancellationToken cancellationToken)
    {
        var plan = await plans.GetAsync(request.SessionId, cancellationToken);
        if (!plan.Routes)
        {
            return null;
        }

        var pool = plan.Teachers.Select(t => t.ToString()).ToList();
        var attempts = await store.AttemptsAsync(request.SessionId, request.Sequence, cancellationToken);
        var attempt = attempts.Count + 1;
        var failed = attempts.Where(a => !a.IsAnswer).Select(a => a.Teacher).Distinct().ToList();
        var candidates = pool.Where(t => !failed.Contains(t)).ToList();
        if (candidates.Count == 0)
        {
            // Every teacher failed this exchange: start over with the whole pool (the session loop backs off between attempts).
            candidates = pool;
        }

        var excluded = pool.Except(candidates).ToList();
        string chosen;
        RoutingDecision decision;
        switch (plan.Strategy)
        {
            case RoutingStrategies.RoundRobin:
                chosen = candidates[(request.Sequence - 1 + failed.Count) % candidates.Count];
                decision = new RoutingDecision(plan.Strategy, attempt, null, false, excluded, "next in turn");
                break;
            case RoutingStrategies.First:
                chosen = candidates[0];
                decision = new RoutingDecision(plan.Strategy, attempt, null, false, excluded,
                    excluded.Count == 0 ? "first of the pool" : "first that has not failed this exchange");
                break;
            default:
                var evidence = await store.EvidenceAsync(pool, options.Value.EvidenceTurns, cancellationToken);
                var availability = pool.ToDictionary(t => t, t => TeacherAvailability.Of(t, evidence, options.Value));
                if (candidates.All(t => availability[t] is { Down: true, ProbeDue: false }) && pool.Any(t => !availability[t].Down))
                {
                    // What is left of this exchange is down and not due a probe, while a teacher that is up failed it
                    // once: that one is likelier to answer the retry than a teacher in an outage.
                    candidates = [.. pool.Where(t => !availability[t].Down)];
                    excluded = [.. pool.Except(candidates)];
                }

                var choice = ThompsonSampler.Choose(candidates, request.Topic, evidence, availability, options.Value,
                    ThompsonSampler.RandomFor(request.SessionId, request.Sequence, attempt));
                chosen = choice.Teacher;
                decision = new RoutingDecision(RoutingStrategies.Learned, attempt, choice.Sampled, choice.Explored, excluded, choice.Reason);
                break;
        }

        return (plan.Teachers[pool.IndexOf(chosen)], decision with { PoolSize = pool.Count });
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Middleware.Sessions;

namespace Middleware.Routing;

/// <summary>Each session's <see cref="RoutingPlan"/>: stored when the session starts, read back after a restart.</summary>
public sealed class SessionPlans(TeacherRecordStore store, IOptions<RoutingOptions> options)
{
    private readonly ConcurrentDictionary<Guid, RoutingPlan> _plans = new();

    /// <summary>The plan of a new session: its own teachers, strategy and curriculum, else the configured ones.</summary>
    public RoutingPlan PlanFor(SessionConfig config)
    {
        var defaults = options.Value;
        var teachers = (config.Teachers ?? defaults.Teachers).Select(TeacherName.Parse).ToList();
        var strategy = (config.Routing ?? defaults.Strategy)?.ToLowerInvariant() ?? RoutingStrategies.Default(teachers.Count);
        var curriculum = (config.Curriculum ?? defaults.Curriculum).ToLowerInvariant();
        return new RoutingPlan(teachers, strategy, curriculum);
    }

    public async Task RegisterAsync(Guid sessionId, SessionConfig config, CancellationToken cancellationToken)
    {
        var plan = PlanFor(config);
        await store.SavePlanAsync(sessionId, plan, cancellationToken);
        _plans[sessionId] = plan;
    }

    /// <summary>A session stored before routing existed has no plan row; it gets today's configured defaults.</summary>
    public async Task<RoutingPlan> GetAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (_plans.TryGetValue(sessionId, out var plan))
        {
            return plan;
        }

        plan = await store.GetPlanAsync(sessionId, cancellationToken) ?? PlanFor(new SessionConfig(1, 0, ["general"], 1));
        _plans[sessionId] = plan;
        return plan;
    }
}

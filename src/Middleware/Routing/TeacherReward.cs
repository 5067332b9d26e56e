namespace Middleware.Routing;

/// <summary>
/// The reward of one teacher turn, 0..1: the review of the teacher's own turn (on topic, well formed, suited to the
/// learner, not a repeat) and the review of the learner reply that followed it, weighted by <c>TeacherTurnWeight</c>,
/// minus up to <c>LatencyPenalty</c> for a slow turn. A failed or empty attempt earns <c>FailureReward</c>.
/// Until the exchange is reviewed (or when reviews are off) only the latency counts.
/// </summary>
public static class TeacherReward
{
    public static double Provisional(long latencyMs, RoutingOptions options) => Round(1 - Latency(latencyMs, options));

    public static double Of(double? teacherScore, double? learnerScore, long latencyMs, RoutingOptions options)
    {
        var quality = (teacherScore, learnerScore) switch
        {
            ({ } t, { } l) => options.TeacherTurnWeight * t + (1 - options.TeacherTurnWeight) * l,
            ({ } t, null) => t,
            (null, { } l) => l,
            _ => 1,
        };
        return Round(quality - Latency(latencyMs, options));
    }

    private static double Latency(long latencyMs, RoutingOptions options) =>
        options.LatencyPenalty * Math.Min(1, Math.Max(0, latencyMs) / options.LatencyBudgetMs);

    private static double Round(double value) => Math.Round(Math.Clamp(value, 0, 1), 4);
}

using System.ComponentModel.DataAnnotations;

namespace Middleware.Routing;

/// <summary>
/// The teacher pool and how a session chooses among it (<c>Training:Teachers</c>, <c>Training:Routing</c>,
/// <c>Training:Curriculum</c>), and the reward's weights (<c>Routing:*</c>).
/// </summary>
public sealed class RoutingOptions : IValidatableObject
{
    public const string SectionName = "Routing";
    public const string TeachersKey = "Training:Teachers";
    public const string StrategyKey = "Training:Routing";
    public const string CurriculumKey = "Training:Curriculum";

    /// <summary>From <c>Training:Teachers</c>: an array, or one comma-separated string. Empty: LlmServer's own chain decides, as before.</summary>
    public List<string> Teachers { get; set; } = [];

    /// <summary>From <c>Training:Routing</c>; empty means <c>learned</c> with more than one teacher.</summary>
    public string? Strategy { get; set; }

    /// <summary>From <c>Training:Curriculum</c>: <c>rotation</c> (default) or <c>adaptive</c>.</summary>
    public string Curriculum { get; set; } = CurriculumModes.Rotation;

    /// <summary>The least chance any teacher of the pool has on a turn, so one that recovers is found again.</summary>
    [Range(0, 0.5)]
    public double ExplorationFloor { get; set; } = 0.1;

    /// <summary>The weight of a reward or an outcome relative to the next newer one of the same teacher: old evidence
    /// fades instead of falling off the end of a window (0.9: the latest ten turns carry two thirds of the weight).</summary>
    [Range(0.5, 1)]
    public double Discount { get; set; } = 0.9;

    /// <summary>How many of a teacher's latest attempts the bandit reads; older ones weigh next to nothing.</summary>
    [Range(1, 10_000)]
    public int EvidenceTurns { get; set; } = 100;

    /// <summary>Failed attempts in a row that make an outage: the teacher is down, only probed, and the outage is forgotten
    /// once it answers again. Fewer failures in a row are flakiness and count against its availability.</summary>
    [Range(1, 100)]
    public int OutageAfter { get; set; } = 3;

    /// <summary>Turns answered by the others before a teacher that is down is asked again; doubles with each failed probe.</summary>
    [Range(1, 1000)]
    public int ProbeInterval { get; set; } = 5;

    /// <summary>The longest wait between two probes of a teacher that is down, in turns answered by the others.</summary>
    [Range(1, 1000)]
    public int ProbeMaxInterval { get; set; } = 20;

    /// <summary>How much the teacher's overall record counts in a topic it has not taught much yet, in pseudo-turns.</summary>
    [Range(0, 1000)]
    public double PriorWeight { get; set; } = 4;

    /// <summary>Weight of the review of the teacher's own turn; the learner reply's review has the rest.</summary>
    [Range(0, 1)]
    public double TeacherTurnWeight { get; set; } = 0.5;

    /// <summary>Taken off the reward of a turn that took <see cref="LatencyBudgetMs"/> or longer; less for a faster one.</summary>
    [Range(0, 1)]
    public double LatencyPenalty { get; set; } = 0.1;

    [Range(1, 3_600_000)]
    public double LatencyBudgetMs { get; set; } = 30_000;

    /// <summary>The reward of an attempt that failed or answered with nothing.</summary>
    [Range(0, 1)]
    public double FailureReward { get; set; } = 0;

    /// <summary>How many latest turns make up a teacher's <c>share_recent</c>.</summary>
    [Range(1, 10_000)]
    public int RecentTurns { get; set; } = 60;

    /// <summary>The least chance any topic has under the adaptive curriculum.</summary>
    [Range(0, 1)]
    public double CurriculumExploration { get; set; } = 0.2;

    /// <summary>How many latest reviews of a topic the adaptive curriculum looks at.</summary>
    [Range(1, 10_000)]
    public int CurriculumWindow { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var teacher in Teachers)
        {
            if (!TeacherName.TryParse(teacher, out _, out var error))
            {
                yield return new ValidationResult($"{TeachersKey}: {error}", [nameof(Teachers)]);
            }
        }

        if (Teachers.Select(t => t.Trim().ToLowerInvariant()).Distinct().Count() != Teachers.Count)
        {
            yield return new ValidationResult($"{TeachersKey} names a teacher twice.", [nameof(Teachers)]);
        }

        if (Strategy is not null && !RoutingStrategies.All.Contains(Strategy, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{StrategyKey} is '{Strategy}'; use one of {string.Join(", ", RoutingStrategies.All)}.", [nameof(Strategy)]);
        }

        if (ProbeMaxInterval < ProbeInterval)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(ProbeMaxInterval)} ({ProbeMaxInterval}) is shorter than {SectionName}:{nameof(ProbeInterval)} ({ProbeInterval}).",
                [nameof(ProbeMaxInterval)]);
        }

        if (!CurriculumModes.All.Contains(Curriculum, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{CurriculumKey} is '{Curriculum}'; use one of {string.Join(", ", CurriculumModes.All)}.", [nameof(Curriculum)]);
        }
    }
}

public static class RoutingStrategies
{
    /// <summary>Thompson sampling per topic over the measured reward, with an exploration floor.</summary>
    public const string Learned = "learned";

    /// <summary>Each turn the next teacher of the pool.</summary>
    public const string RoundRobin = "round-robin";

    /// <summary>The first teacher of the pool; the next ones only when it fails (a fallback chain).</summary>
    public const string First = "first";

    public static IReadOnlyList<string> All { get; } = [Learned, RoundRobin, First];

    public static string Default(int teachers) => teachers > 1 ? Learned : First;
}

public static class CurriculumModes
{
    /// <summary>The topics in turn, switching every <c>topic_switch_interval</c> exchanges.</summary>
    public const string Rotation = "rotation";

    /// <summary>At each switch the topic where the learner's recent review scores are lowest, with exploration.</summary>
    public const string Adaptive = "adaptive";

    public static IReadOnlyList<string> All { get; } = [Rotation, Adaptive];
}

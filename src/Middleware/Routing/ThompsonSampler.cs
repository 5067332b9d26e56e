using MathNet.Numerics.Distributions;

namespace Middleware.Routing;

/// <summary>
/// Thompson sampling over rewards in 0..1. Each teacher's reward in a topic is modelled as a Beta distribution:
/// <c>α = 1 + Σr + w·m</c>, <c>β = 1 + Σ(1−r) + w·(1−m)</c> over its latest <c>Window</c> rewards in the topic, where
/// <c>m</c> is its mean over all topics and <c>w</c> is <c>PriorWeight</c> (what it did elsewhere counts for a few
/// turns in a topic it has not taught yet). One value is drawn from each; the highest wins. With probability
/// <c>ExplorationFloor</c> a teacher is drawn uniformly instead, so a teacher that failed for a while and recovered
/// is tried again and its window refills with what it does now.
/// </summary>
public static class ThompsonSampler
{
    public static (string Teacher, IReadOnlyDictionary<string, double> Sampled, bool Explored) Choose(
        IReadOnlyList<string> candidates, TeacherEvidence evidence, RoutingOptions options, Random random)
    {
        var sampled = new Dictionary<string, double>();
        foreach (var teacher in candidates)
        {
            var (alpha, beta) = Posterior(evidence.ByTopic.GetValueOrDefault(teacher) ?? [], evidence.Overall.GetValueOrDefault(teacher) ?? [], options.PriorWeight);
            sampled[teacher] = Math.Round(Beta.Sample(random, alpha, beta), 4);
        }

        if (candidates.Count > 1 && random.NextDouble() < options.ExplorationFloor)
        {
            return (candidates[random.Next(candidates.Count)], sampled, true);
        }

        // Ties go to the earlier teacher of the pool: the order the user gave is their preference.
        var best = candidates[0];
        foreach (var teacher in candidates)
        {
            if (sampled[teacher] > sampled[best])
            {
                best = teacher;
            }
        }

        return (best, sampled, false);
    }

    public static (double Alpha, double Beta) Posterior(IReadOnlyCollection<double> topic, IReadOnlyCollection<double> overall, double priorWeight)
    {
        var mean = overall.Count > 0 ? overall.Average() : 0.5;
        var successes = topic.Sum();
        return (1 + successes + priorWeight * mean, 1 + (topic.Count - successes) + priorWeight * (1 - mean));
    }

    /// <summary>The same draws for the same session, exchange and attempt, so a decision can be replayed.</summary>
    public static Random RandomFor(Guid sessionId, int sequence, int attempt) =>
        new(unchecked((sessionId.GetHashCode() * 397) ^ (sequence * 7919) ^ (attempt * 104729)));
}

using MathNet.Numerics.Distributions;

namespace Middleware.Routing;

/// <summary>
/// Thompson sampling over rewards in 0..1, with availability kept apart from quality.
/// <para>Quality: each teacher's reward in a topic is a Beta distribution over the rewards of its answered turns,
/// discounted (the newest weighs 1, each older one <c>Discount</c> times the next): <c>α = 1 + Σwr + k·m</c>,
/// <c>β = 1 + Σw(1−r) + k·(1−m)</c>, where <c>m</c> is its discounted mean over all topics and <c>k</c> is
/// <c>PriorWeight</c> (what it did elsewhere counts for a few turns in a topic it has not taught yet).</para>
/// <para>Each teacher that is up gets one draw <c>q</c>, worth <c>a·q + (1−a)·FailureReward</c> where <c>a</c> is
/// its <see cref="TeacherAvailability.Rate"/>; the highest wins. A teacher that is down is not drawn for: it is asked
/// when its probe is due, or when the exploration floor (<c>ExplorationFloor</c>: a teacher of the candidates,
/// uniformly) picks it.</para>
/// </summary>
public static class ThompsonSampler
{
    public const string ByReward = "highest sampled reward";
    public const string ByFloor = "exploration floor";
    public const string ByProbe = "probe: was failing";

    public static SampledChoice Choose(IReadOnlyList<string> candidates, string topic, TeacherEvidence evidence,
        IReadOnlyDictionary<string, TeacherAvailability> availability, RoutingOptions options, Random random)
    {
        var up = candidates.Where(t => !availability[t].Down).ToList();
        if (up.Count == 0)
        {
            up = [.. candidates]; // every candidate is down: the least bad of them, by the same draw
        }

        var sampled = new Dictionary<string, double>();
        foreach (var teacher in up)
        {
            var (alpha, beta) = Posterior(evidence.Of(teacher), topic, options);
            var rate = availability[teacher].Rate;
            sampled[teacher] = Math.Round(rate * Beta.Sample(random, alpha, beta) + (1 - rate) * options.FailureReward, 4);
        }

        // The longest-waiting teacher whose probe is due goes first: that bound is what finds a teacher that came back.
        var probe = candidates.Where(t => availability[t].ProbeDue).OrderByDescending(t => availability[t].AnsweredSinceLastAsked).FirstOrDefault();
        if (probe is not null)
        {
            return new SampledChoice(probe, sampled, false, ByProbe);
        }

        if (candidates.Count > 1 && random.NextDouble() < options.ExplorationFloor)
        {
            return new SampledChoice(candidates[random.Next(candidates.Count)], sampled, true, ByFloor);
        }

        // Ties go to the earlier teacher of the pool: the order the user gave is their preference.
        var best = up[0];
        foreach (var teacher in up)
        {
            if (sampled[teacher] > sampled[best])
            {
                best = teacher;
            }
        }

        return new SampledChoice(best, sampled, false, ByReward);
    }

    /// <summary>The Beta posterior of a teacher's reward in <paramref name="topic"/>, from the rewards of its answered turns.</summary>
    public static (double Alpha, double Beta) Posterior(IReadOnlyList<TeacherOutcome> attempts, string topic, RoutingOptions options)
    {
        double topicReward = 0, topicWeight = 0, allReward = 0, allWeight = 0, wTopic = 1, wAll = 1;
        for (var i = attempts.Count - 1; i >= 0; i--)
        {
            if (attempts[i] is not { Answered: true, Reward: { } reward })
            {
                continue; // a failure says whether the teacher answers, not how well: that is its availability
            }

            allReward += wAll * reward;
            allWeight += wAll;
            wAll *= options.Discount;
            if (attempts[i].Topic == topic)
            {
                topicReward += wTopic * reward;
                topicWeight += wTopic;
                wTopic *= options.Discount;
            }
        }

        var mean = allWeight > 0 ? allReward / allWeight : 0.5;
        return (1 + topicReward + options.PriorWeight * mean, 1 + (topicWeight - topicReward) + options.PriorWeight * (1 - mean));
    }

    /// <summary>The same draws for the same session, exchange and attempt, so a decision can be replayed.</summary>
    public static Random RandomFor(Guid sessionId, int sequence, int attempt) =>
        new(unchecked((sessionId.GetHashCode() * 397) ^ (sequence * 7919) ^ (attempt * 104729)));
}

/// <summary>The teacher the bandit chose, each drawn value, whether the exploration floor chose, and why.</summary>
public sealed record SampledChoice(string Teacher, IReadOnlyDictionary<string, double> Sampled, bool Explored, string Reason);

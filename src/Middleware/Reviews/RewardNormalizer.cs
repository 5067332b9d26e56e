namespace Middleware.Reviews;

/// <summary>
/// The reward of a review and its value normalised against the session so far: an exponential moving mean and
/// variance of the rewards (weight <c>Reviews:EmaAlpha</c> on the newest), and the reward's z-score under them, clipped
/// to ±3. The first reward of a session normalises to 0. "Better than this session usually does" is what a learner
/// can act on once its replies all score alike.
/// </summary>
public static class RewardNormalizer
{
    public const double Clip = 3;
    private const double MinDeviation = 1e-3;

    /// <summary>The weighted reward: the review's score, which LlmServer weighs from the rubric's dimensions.</summary>
    public static double Reward(double score) => Math.Round(Math.Clamp(score, 0, 1), 4);

    public static (double Normalized, double Mean, double Variance) Next(double reward, double? mean, double? variance, double alpha)
    {
        if (mean is not { } m || variance is not { } v)
        {
            return (0, reward, 0);
        }

        var deviation = Math.Sqrt(v);
        var normalized = deviation < MinDeviation ? 0 : Math.Clamp((reward - m) / deviation, -Clip, Clip);
        var difference = reward - m;
        var nextMean = m + alpha * difference;
        // West's incremental form of the exponentially weighted variance.
        var nextVariance = (1 - alpha) * (v + alpha * difference * difference);
        return (Math.Round(normalized, 4), nextMean, nextVariance);
    }
}

using Middleware.Reviews;

namespace Middleware.Tests.Reviews;

public sealed class RewardNormalizerTests
{
    [Fact]
    public void The_first_reward_of_a_session_normalises_to_zero_and_starts_the_mean()
    {
        var (normalized, mean, variance) = RewardNormalizer.Next(0.6, null, null, 0.1);

        normalized.ShouldBe(0);
        mean.ShouldBe(0.6);
        variance.ShouldBe(0);
    }

    [Fact]
    public void A_reward_above_the_sessions_usual_is_positive_and_below_it_negative()
    {
        double? mean = null, variance = null;
        foreach (var reward in new[] { 0.4, 0.5, 0.45, 0.55, 0.5, 0.4, 0.6 })
        {
            (_, mean, variance) = RewardNormalizer.Next(reward, mean, variance, 0.2);
        }

        RewardNormalizer.Next(0.9, mean, variance, 0.2).Normalized.ShouldBeGreaterThan(1);
        RewardNormalizer.Next(0.1, mean, variance, 0.2).Normalized.ShouldBeLessThan(-1);
        RewardNormalizer.Next(mean!.Value, mean, variance, 0.2).Normalized.ShouldBe(0, 0.0001);
    }

    [Fact]
    public void Extreme_rewards_are_clipped_and_a_constant_session_stays_at_zero()
    {
        double? mean = null, variance = null;
        for (var i = 0; i < 20; i++)
        {
            (_, mean, variance) = RewardNormalizer.Next(0.5, mean, variance, 0.1);
        }

        RewardNormalizer.Next(0.5, mean, variance, 0.1).Normalized.ShouldBe(0);
        (_, mean, variance) = RewardNormalizer.Next(0.51, mean, variance, 0.1);
        RewardNormalizer.Next(1.0, mean, variance, 0.1).Normalized.ShouldBe(RewardNormalizer.Clip);
    }
}

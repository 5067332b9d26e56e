using Middleware.Routing;

namespace Middleware.Tests.Routing;

/// <summary>The bandit's arithmetic: what it draws from, and that it prefers the better teacher without starving the other.</summary>
public sealed class ThompsonSamplerTests
{
    private static readonly RoutingOptions Options = new();

    [Fact]
    public void A_teacher_with_no_evidence_draws_from_a_flat_prior()
    {
        ThompsonSampler.Posterior([], [], priorWeight: 4).ShouldBe((3.0, 3.0));
    }

    [Fact]
    public void The_overall_record_counts_as_prior_weight_pseudo_turns_in_a_new_topic()
    {
        var (alpha, beta) = ThompsonSampler.Posterior([], [1.0, 1.0, 0.0, 1.0], priorWeight: 4);
        alpha.ShouldBe(4.0);
        beta.ShouldBe(2.0);
    }

    [Fact]
    public void The_better_teacher_wins_most_draws_and_the_floor_keeps_the_other_in_play()
    {
        var evidence = new TeacherEvidence(
            new Dictionary<string, List<double>> { ["good"] = [.. Enumerable.Repeat(0.85, 10)], ["bad"] = [.. Enumerable.Repeat(0.3, 10)] },
            new Dictionary<string, List<double>> { ["good"] = [.. Enumerable.Repeat(0.85, 10)], ["bad"] = [.. Enumerable.Repeat(0.3, 10)] });
        var picks = Enumerable.Range(1, 1000)
            .Select(i => ThompsonSampler.Choose(["bad", "good"], evidence, Options, ThompsonSampler.RandomFor(Guid.Empty, i, 1)).Teacher)
            .ToList();

        var good = picks.Count(p => p == "good");
        good.ShouldBeGreaterThan(900);
        picks.Count(p => p == "bad").ShouldBeGreaterThanOrEqualTo(30, "the exploration floor (10 %, half of it to each) keeps trying the other teacher");
    }

    [Theory]
    [InlineData(0.9, 0.5, 0, 0.7)]
    [InlineData(0.9, 0.5, 30_000, 0.6)]
    [InlineData(0.9, 0.5, 600_000, 0.6)]
    [InlineData(null, 0.5, 0, 0.5)]
    public void The_reward_weighs_both_reviews_and_takes_off_for_latency(double? teacher, double? learner, long latencyMs, double expected)
    {
        TeacherReward.Of(teacher, learner, latencyMs, Options).ShouldBe(expected, tolerance: 1e-9);
    }

    [Theory]
    [InlineData("ollama/gemma3:1b", "ollama", "gemma3:1b")]
    [InlineData("Embedded", "embedded", null)]
    [InlineData("openai/meta-llama/Llama-3.2-1B", "openai", "meta-llama/Llama-3.2-1B")]
    public void A_teacher_name_is_provider_and_optional_model(string text, string provider, string? model)
    {
        TeacherName.TryParse(text, out var teacher, out _).ShouldBeTrue();
        teacher.ShouldBe(new TeacherName(provider, model));
    }
}

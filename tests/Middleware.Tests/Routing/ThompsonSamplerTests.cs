using Middleware.Routing;

namespace Middleware.Tests.Routing;

/// <summary>The bandit's arithmetic: what it draws from, and that it prefers the better teacher without starving the other.</summary>
public sealed class ThompsonSamplerTests
{
    private const string Topic = "the weather";
    private static readonly RoutingOptions Options = new();

    [Fact]
    public void A_teacher_with_no_evidence_draws_from_a_flat_prior()
    {
        ThompsonSampler.Posterior([], Topic, Options).ShouldBe((3.0, 3.0));
    }

    [Fact]
    public void The_overall_record_counts_as_prior_weight_pseudo_turns_in_a_new_topic()
    {
        var (alpha, beta) = ThompsonSampler.Posterior(Answers("food", 1.0, 1.0), Topic, new RoutingOptions { Discount = 1 });
        alpha.ShouldBe(5.0);
        beta.ShouldBe(1.0);
    }

    [Fact]
    public void Newer_rewards_weigh_more_than_older_ones()
    {
        // Oldest first: 0 then 1. The newer 1 weighs 1, the older 0 weighs Discount (0.5 here).
        var (alpha, beta) = ThompsonSampler.Posterior(Answers(Topic, 0.0, 1.0), Topic, new RoutingOptions { Discount = 0.5, PriorWeight = 0 });
        alpha.ShouldBe(2.0);
        beta.ShouldBe(1.5);
    }

    [Fact]
    public void Failed_attempts_are_not_quality_evidence()
    {
        var attempts = Answers(Topic, 0.8).Concat(Failures(Topic, 5)).ToList();
        ThompsonSampler.Posterior(attempts, Topic, Options).ShouldBe(ThompsonSampler.Posterior(Answers(Topic, 0.8), Topic, Options));
    }

    [Fact]
    public void The_failures_of_an_outage_are_forgotten_once_the_teacher_answers_again_and_flakiness_is_not()
    {
        var outage = TeacherAvailability.Of("t", Evidence(Answers(Topic, 0.8, 0.8).Concat(Failures(Topic, 6)).Concat(Answers(Topic, 0.8))), Options);
        outage.Rate.ShouldBe(1.0);
        outage.Down.ShouldBeFalse();

        var flaky = TeacherAvailability.Of("t", Evidence(Answers(Topic, 0.8).Concat(Failures(Topic, 2)).Concat(Answers(Topic, 0.8))), Options);
        flaky.Rate.ShouldBeLessThan(0.7);

        var down = TeacherAvailability.Of("t", Evidence(Answers(Topic, 0.8).Concat(Failures(Topic, 3))), Options);
        down.Down.ShouldBeTrue();
        down.FailuresInARow.ShouldBe(3);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 10)]
    [InlineData(5, 20)]
    [InlineData(9, 20)]
    public void A_down_teacher_waits_longer_after_each_failed_probe_up_to_the_bound(int failuresInARow, int interval)
    {
        TeacherAvailability.Of("t", Evidence(Failures(Topic, failuresInARow)), Options).ProbeInterval.ShouldBe(interval);
    }

    [Fact]
    public void The_better_teacher_wins_most_draws_and_the_floor_keeps_the_other_in_play()
    {
        var evidence = new TeacherEvidence(new Dictionary<string, IReadOnlyList<TeacherOutcome>>
        {
            ["good"] = Answers(Topic, [.. Enumerable.Repeat(0.85, 10)]),
            ["bad"] = Answers(Topic, [.. Enumerable.Repeat(0.3, 10)]),
        });
        var availability = new[] { "good", "bad" }.ToDictionary(t => t, t => TeacherAvailability.Of(t, evidence, Options));
        var picks = Enumerable.Range(1, 1000)
            .Select(i => ThompsonSampler.Choose(["bad", "good"], Topic, evidence, availability, Options, ThompsonSampler.RandomFor(Guid.Empty, i, 1)).Teacher)
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

    private static int _id;

    private static List<TeacherOutcome> Answers(string topic, params double[] rewards) =>
        [.. rewards.Select(r => new TeacherOutcome(Interlocked.Increment(ref _id), topic, true, r))];

    private static List<TeacherOutcome> Failures(string topic, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new TeacherOutcome(Interlocked.Increment(ref _id), topic, false, 0))];

    private static TeacherEvidence Evidence(IEnumerable<TeacherOutcome> attempts) =>
        new(new Dictionary<string, IReadOnlyList<TeacherOutcome>> { ["t"] = [.. attempts] });
}

using Cerebrum.Api.Infrastructure;
using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Tests;

/// <summary>A replay on start skips the reply metrics and held-out scores of old exchanges; it must end in the same
/// state as learning every part of every exchange.</summary>
public sealed class ReplayPlanTests
{
    private const int HeldOutEvery = 3;
    private const int MetricsWindow = 50;

    [Fact]
    public async Task Replaying_with_the_plan_ends_in_the_state_a_full_replay_reaches()
    {
        var exchanges = Exchanges(1_500);
        var full = new LearnerMemory(4, HeldOutEvery, MetricsWindow);
        foreach (var exchange in exchanges)
        {
            full.Observe(exchange);
        }

        var planned = new LearnerMemory(4, HeldOutEvery, MetricsWindow);
        var plan = await ReplayPlan.CreateAsync(exchanges.Count, planned.ReplyWindow, HeldOutNewestFirst(exchanges), CancellationToken.None);
        // The plan does leave things out, or this test would prove nothing.
        plan.MeasureRepliesFrom.ShouldBe(exchanges.Count - planned.ReplyWindow);
        plan.ScoreHeldOutFrom.ShouldBeGreaterThan(exchanges.Count / 2);
        for (var i = 0; i < exchanges.Count; i++)
        {
            planned.Observe(exchanges[i], plan.For(i, exchanges[i].Sequence));
        }

        planned.Metrics().ShouldBe(full.Metrics());
        planned.HeldOutEvaluated.ShouldBe(full.HeldOutEvaluated);
        foreach (var reply in exchanges.Select(e => e.Response).Distinct())
        {
            var tokens = Tokenizer.Tokenize(reply);
            planned.ReplyUses(planned.Bag(tokens)).ShouldBe(full.ReplyUses(full.Bag(tokens)), reply);
            planned.RecentBigramShare(planned.Bag(tokens)).ShouldBe(full.RecentBigramShare(full.Bag(tokens)), reply);
        }

        foreach (var probe in new[] { "Do you like the quiet garden?", "Where is the market?", "I fixed the old bicycle by the door." })
        {
            var reply = new ReplyComposer(planned).Compose(probe, "teach-7", planned.Phase);
            reply.Text.ShouldBe(new ReplyComposer(full).Compose(probe, "teach-7", full.Phase).Text, probe);
            reply.Score.ShouldBe(new ReplyComposer(full).Compose(probe, "teach-7", full.Phase).Score, probe);
        }
    }

    [Fact]
    public async Task A_store_smaller_than_the_windows_is_replayed_whole()
    {
        var exchanges = Exchanges(60);
        var plan = await ReplayPlan.CreateAsync(exchanges.Count, new LearnerMemory(4, HeldOutEvery, MetricsWindow).ReplyWindow,
            HeldOutNewestFirst(exchanges), CancellationToken.None);

        plan.ShouldBe(ReplayPlan.Everything);
    }

    /// <summary>Conversations of 40 turns; the learner's replies are earlier messages and repeat, so the reply
    /// penalties count something for the candidates a probe gets.</summary>
    private static List<StoredExchange> Exchanges(int count) =>
        [.. Enumerable.Range(1, count).Select(n => new StoredExchange(n, $"teach-{n / 40}:{n}", $"teach-{n / 40}",
            Message(n), Message(n * 7 % 97 + 1), "fluent", "retrieval", 0, n % 2 == 0))];

    private static string Message(int n) => TeachingCorpus.Message(n) + " " + MadeUpText.Sentence(n);

    private static async IAsyncEnumerable<(long Sequence, string Message)> HeldOutNewestFirst(List<StoredExchange> exchanges)
    {
        foreach (var exchange in Enumerable.Reverse(exchanges).Where(e => e.Sequence % HeldOutEvery == 0))
        {
            await Task.Yield();
            yield return (exchange.Sequence, exchange.Message);
        }
    }
}

using Cerebrum.Api.Infrastructure;
using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Tests;

/// <summary>The feedback judgement found through its bigram index must be the sum over every rated reply the
/// definition gives: Σ (2·score − 1) × bigram Jaccard, newest 1,000 rated exchanges, in the order of first rating.</summary>
public sealed class FeedbackJudgeTests
{
    [Fact]
    public void Judging_through_the_bigram_index_gives_the_sum_over_every_rated_reply()
    {
        var book = new FeedbackBook();
        var random = new Random(7);
        var current = new Dictionary<string, StoredFeedback>();
        // More rated exchanges than the judging memory holds, some rated again (replaced), some only corrected.
        for (var n = 1; n <= 2_000; n++)
        {
            var exchange = random.Next(5) == 0 && n > 10 ? $"x{random.Next(1, n)}" : $"x{n}";
            var order = current.TryGetValue(exchange, out var before) ? before.Order : n;
            var response = before?.Response ?? MadeUpText.Sentence(random.Next(200)) + " " + MadeUpText.Sentence(random.Next(200));
            double? score = random.Next(6) == 0 ? null : Math.Round(random.NextDouble(), 2);
            var feedback = new StoredFeedback(order, order, exchange, "message " + exchange, response, score, score is null ? "a correction" : null);
            book.Apply(feedback);
            current[exchange] = feedback;
        }

        var judging = current.Values.Where(f => f.Score is not null).OrderBy(f => f.Order).TakeLast(FeedbackBook.ScoredMemory).ToList();
        var judged = 0;
        for (var probe = 0; probe < 300; probe++)
        {
            var tokens = Tokenizer.Tokenize(MadeUpText.Sentence(probe) + " " + MadeUpText.Sentence(probe * 3 + 1));
            var expected = Reference(tokens, judging);
            book.Judge(tokens).ShouldBe(expected, tokens.Count.ToString());
            judged += expected != 0 ? 1 : 0;
        }

        judged.ShouldBeGreaterThan(100, "most probes share bigrams with rated replies, or the test proves nothing");
    }

    private static double Reference(List<string> tokens, List<StoredFeedback> judging)
    {
        var bigrams = Bigrams(tokens);
        if (judging.Count == 0 || bigrams.Count == 0)
        {
            return 0;
        }

        var total = 0.0;
        foreach (var feedback in judging)
        {
            var theirs = Bigrams(Tokenizer.Tokenize(feedback.Response));
            var shared = bigrams.Count(theirs.Contains);
            if (shared > 0)
            {
                total += (2 * feedback.Score!.Value - 1) * shared / (double)(bigrams.Count + theirs.Count - shared);
            }
        }

        return Math.Clamp(total, -1, 1);
    }

    private static HashSet<string> Bigrams(List<string> tokens) =>
        [.. Enumerable.Range(1, Math.Max(0, tokens.Count - 1)).Select(i => tokens[i - 1] + " " + tokens[i])];
}

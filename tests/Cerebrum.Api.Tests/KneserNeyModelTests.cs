using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Tests;

public sealed class KneserNeyModelTests
{
    private static (KneserNeyModel Model, Vocabulary Vocabulary) Train(int order, params string[] sentences)
    {
        var vocabulary = new Vocabulary();
        var model = new KneserNeyModel(order, vocabulary);
        foreach (var sentence in sentences)
        {
            model.Learn(sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(vocabulary.GetOrAdd).ToList());
        }

        return (model, vocabulary);
    }

    private static int[] Ids(Vocabulary vocabulary, params string[] tokens) =>
        tokens.Select(t => t switch { "<s>" => Vocabulary.SentenceStart, "</s>" => Vocabulary.SentenceEnd, _ => vocabulary.Lookup(t) }).ToArray();

    // Tiny corpus, order 3: "a b", "a c", "b". Padded: <s> <s> a b </s> | <s> <s> a c </s> | <s> <s> b </s>.
    // Trigram counts: (<s> <s> a)=2, (<s> a b)=1, (a b </s>)=1, (<s> a c)=1, (a c </s>)=1, (<s> <s> b)=1, (<s> b </s>)=1.
    // Bigram continuation counts N1+(• v w): (<s> a)=1, (a b)=1, (a c)=1, (b </s>)=2 [a b </s>, <s> b </s>], (c </s>)=1, (<s> b)=1.
    // Unigram continuation counts N1+(• w): a=1, b=2 [(a b), (<s> b)], c=1, </s>=2; total 6; N1=2, N2=2, N3+=0.
    // Every order has a zero count-of-count, so the fixed discounts D1=0.5, D2=1.0, D3+=1.5 apply.
    // Predictable vocabulary V = {a, b, c, </s>, <unk>} = 5.
    private static readonly string[] Tiny = ["a b", "a c", "b"];

    [Fact]
    public void Counts_are_raw_at_the_top_order_and_continuation_counts_below()
    {
        var (model, v) = Train(3, Tiny);

        model.Count(Ids(v, "<s>", "<s>", "a")).ShouldBe(2);
        model.Count(Ids(v, "a", "b", "</s>")).ShouldBe(1);
        model.Count(Ids(v, "b", "</s>")).ShouldBe(2);
        model.Count(Ids(v, "a", "b")).ShouldBe(1);
        model.Count(Ids(v, "b")).ShouldBe(2);
        model.Count(Ids(v, "a")).ShouldBe(1);
        model.Count(Ids(v, "</s>")).ShouldBe(2);
        model.Discounts(3).ShouldBe((0.5, 1.0, 1.5));
    }

    [Fact]
    public void Unigram_level_matches_the_hand_computed_values()
    {
        var (model, v) = Train(3, Tiny);
        // Context "c a" is unseen at order 3 and "a" alone is seen at order 2, so for the unigram level we ask with
        // a context whose last word never occurred: P(w | <unk>) falls through to P1.
        // P1(w) = (max(N1+(•w) − D, 0) + γ/V) / 6 with γ = 0.5·2 + 1.0·2 = 3, γ/V = 0.6:
        //   P1(a) = (1 − 0.5 + 0.6)/6 = 11/60;  P1(b) = (2 − 1 + 0.6)/6 = 16/60;  P1(<unk>) = 0.6/6 = 6/60.
        var unseen = new[] { Vocabulary.Unknown, Vocabulary.Unknown };
        model.Probability(unseen, v.Lookup("a")).ShouldBe(11.0 / 60, 1e-12);
        model.Probability(unseen, v.Lookup("b")).ShouldBe(16.0 / 60, 1e-12);
        model.Probability(unseen, v.Lookup("c")).ShouldBe(11.0 / 60, 1e-12);
        model.Probability(unseen, Vocabulary.SentenceEnd).ShouldBe(16.0 / 60, 1e-12);
        model.Probability(unseen, Vocabulary.Unknown).ShouldBe(6.0 / 60, 1e-12);
    }

    [Fact]
    public void Trigram_probabilities_match_the_hand_computed_values()
    {
        var (model, v) = Train(3, Tiny);

        // Context "a" at order 2: followers b (1), c (1); total 2, N1 = 2, γ = 0.5·2 = 1.
        //   P2(b | a) = (1 − 0.5 + 1·16/60)/2 = (30/60 + 16/60)/2 = 23/60.
        // Context "<s> a" at order 3: followers b (1), c (1); total 2, γ = 1.
        //   P3(b | <s> a) = (1 − 0.5 + 1·23/60)/2 = 53/120.
        model.Probability(Ids(v, "<s>", "a"), v.Lookup("b")).ShouldBe(53.0 / 120, 1e-12);

        // Context "<s> <s>": followers a (2), b (1); total 3; N1 = 1, N2 = 1, γ = 0.5 + 1.0 = 1.5.
        // Context "<s>" at order 2: followers a (1), b (1); total 2, γ = 1.
        //   P2(a | <s>) = (1 − 0.5 + 11/60)/2 = 41/120.
        //   P3(a | <s> <s>) = (2 − 1.0 + 1.5·41/120)/3 = (120/120 + 61.5/120)/3 = 181.5/360.
        model.Probability(Ids(v, "<s>", "<s>"), v.Lookup("a")).ShouldBe(181.5 / 360, 1e-12);

        // c never starts a sentence: P2(c | <s>) = (0 + 1·11/60)/2 = 11/120; P3(c | <s> <s>) = 1.5·(11/120)/3 = 16.5/360.
        model.Probability(Ids(v, "<s>", "<s>"), v.Lookup("c")).ShouldBe(16.5 / 360, 1e-12);

        // Unseen trigram context "c a" backs off to the order-2 context "a": P(b | c a) = P2(b | a) = 23/60.
        model.Probability(Ids(v, "c", "a"), v.Lookup("b")).ShouldBe(23.0 / 60, 1e-12);
    }

    [Fact]
    public void Sentence_score_is_the_sum_of_token_log_probabilities()
    {
        var (model, v) = Train(3, Tiny);
        // "a b </s>": P3(a|<s><s>) = 181.5/360, P3(b|<s> a) = 53/120,
        // P3(</s>|a b): context "a b" has </s> (1), total 1, γ = 0.5; P2(</s>|b): context b has </s> with
        // continuation 2, total 2, N2 = 1, γ = 1.0 → (2 − 1 + 1.0·16/60)/2 = 76/120; P3 = (1 − 0.5 + 0.5·76/120)/1 = 98/120.
        var expected = Math.Log(181.5 / 360) + Math.Log(53.0 / 120) + Math.Log(98.0 / 120);

        var (logProbability, tokens) = model.Score(Ids(v, "a", "b"));

        tokens.ShouldBe(3);
        logProbability.ShouldBe(expected, 1e-12);
    }

    [Fact]
    public void Modified_discounts_follow_chen_and_goodman_when_counts_of_counts_exist()
    {
        // Each one-word sentence "w" repeated m times gives two order-3 n-grams, (<s> <s> w) and (<s> w </s>), of count m.
        // p, q once; r twice; s three times; t four times → n1 = 4, n2 = 2, n3 = 2, n4 = 2.
        // Y = 4/(4 + 2·2) = 0.5; D1 = 1 − 2·0.5·2/4 = 0.5; D2 = 2 − 3·0.5·2/2 = 0.5; D3+ = 3 − 4·0.5·2/2 = 1.0.
        var (model, _) = Train(3, "p", "q", "r", "r", "s", "s", "s", "t", "t", "t", "t");

        var (d1, d2, d3) = model.Discounts(3);

        d1.ShouldBe(0.5, 1e-12);
        d2.ShouldBe(0.5, 1e-12);
        d3.ShouldBe(1.0, 1e-12);
    }

    [Fact]
    public void Discounts_never_fall_to_zero_so_unseen_words_keep_probability()
    {
        // p once, q twice, five words three times, t four times → n1 = 2, n2 = 2, n3 = 10, n4 = 2.
        // Y = 2/(2 + 4) = 1/3; D2 = 2 − 3·(1/3)·10/2 = −3, which would leave the context "<s> q" (its only follower,
        // </s>, seen twice) no mass for anything else. The floor keeps D2 at 0.1.
        var (model, v) = Train(3, "p", "q", "q", "a", "a", "a", "b", "b", "b", "c", "c", "c", "d", "d", "d", "e", "e", "e", "t", "t", "t", "t");

        model.Discounts(3).D2.ShouldBe(KneserNeyModel.MinDiscount);
        model.Probability(Ids(v, "<s>", "q"), v.Lookup("p")).ShouldBeGreaterThan(0);
        v.PredictableIds().Sum(w => model.Probability(Ids(v, "<s>", "q"), w)).ShouldBe(1.0, 1e-9);
    }

    public static TheoryData<int> Orders => new() { 3, 4, 5 };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Probabilities_over_the_vocabulary_sum_to_one_for_many_contexts(int order)
    {
        var random = new Random(7);
        var words = Enumerable.Range(0, 40).Select(i => $"w{i}").ToArray();
        var sentences = Enumerable.Range(0, 300)
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 12)).Select(_ => words[(int)Math.Pow(random.Next(0, 1600), 0.5)])))
            .ToArray();
        var (model, v) = Train(order, sentences);
        var contexts = new List<int[]>
        {
            Array.Empty<int>(),
            Ids(v, "<s>", "<s>", "<s>", "<s>"),
            Ids(v, "w0"),
            Ids(v, "w3", "w1"),
            Ids(v, "w39", "w38", "w37", "w36"),
            new[] { Vocabulary.Unknown, Vocabulary.Unknown },
            new[] { Vocabulary.SentenceStart, v.Lookup("w5") },
        };
        contexts.AddRange(Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, order - 1).Select(_ => v.Lookup(words[random.Next(words.Length)])).ToArray()));

        foreach (var context in contexts)
        {
            var sum = v.PredictableIds().Sum(w => model.Probability(context, w));
            sum.ShouldBe(1.0, 1e-9, string.Join(' ', context));
        }
    }

    [Fact]
    public void Learning_order_does_not_change_the_model()
    {
        string[] corpus = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog", "the mat is red", "on the log sat a cat"];
        var (forward, fv) = Train(4, corpus);
        var (backward, bv) = Train(4, corpus.Reverse().ToArray());

        foreach (var (context, word) in new[] { ("the cat", "sat"), ("sat on", "the"), ("a", "dog"), ("on the", "mat"), ("red", "</s>") })
        {
            var f = forward.Probability(Ids(fv, context.Split(' ')), Ids(fv, word)[0]);
            var b = backward.Probability(Ids(bv, context.Split(' ')), Ids(bv, word)[0]);
            f.ShouldBe(b, 1e-12, $"{context} → {word}");
        }
    }

    [Fact]
    public void More_evidence_makes_a_seen_continuation_more_likely()
    {
        var (model, v) = Train(3, "the sun is hot", "the sun is bright");
        var before = model.Probability(Ids(v, "sun", "is"), v.Lookup("hot"));

        model.Learn(Ids(v, "the", "sun", "is", "hot"));

        model.Probability(Ids(v, "sun", "is"), v.Lookup("hot")).ShouldBeGreaterThan(before);
    }
}

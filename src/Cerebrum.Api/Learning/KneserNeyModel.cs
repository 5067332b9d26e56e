namespace Cerebrum.Api.Learning;

/// <summary>
/// Interpolated modified Kneser-Ney n-gram model (Chen &amp; Goodman 1998) that learns one sentence at a time.
/// The highest order keeps raw counts; every lower order keeps continuation counts N1+(• w…), which change only
/// when a new n-gram type appears, so learning a sentence touches O(order × length) entries and nothing is retrained.
/// Each sentence is padded with order−1 <c>&lt;s&gt;</c> tokens and closed by <c>&lt;/s&gt;</c>.
/// Not thread-safe: the learner serialises writers and readers.
/// </summary>
public sealed class KneserNeyModel
{
    private const int BitsPerId = 24;
    public const double MinDiscount = 0.1;
    private readonly Dictionary<UInt128, int>[] _counts;
    private readonly Dictionary<UInt128, ContextStats>[] _contexts;
    private readonly long[][] _countOfCounts;
    private readonly (double D1, double D2, double D3)[] _discounts;
    private readonly bool[] _discountsValid;

    public KneserNeyModel(int order, Vocabulary vocabulary)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 5);
        Order = order;
        Vocabulary = vocabulary;
        _counts = new Dictionary<UInt128, int>[order + 1];
        _contexts = new Dictionary<UInt128, ContextStats>[order + 1];
        _countOfCounts = new long[order + 1][];
        _discounts = new (double, double, double)[order + 1];
        _discountsValid = new bool[order + 1];
        for (var k = 1; k <= order; k++)
        {
            _counts[k] = [];
            _contexts[k] = [];
            _countOfCounts[k] = new long[5];
        }
    }

    public int Order { get; }

    public Vocabulary Vocabulary { get; }

    /// <summary>Sentences learned so far.</summary>
    public long Sentences { get; private set; }

    /// <summary>Predicted tokens learned so far (words and sentence ends).</summary>
    public long Tokens { get; private set; }

    /// <summary>Distinct n-grams held across all orders.</summary>
    public long NgramTypes => _counts.Skip(1).Sum(c => (long)c.Count);

    /// <summary>Learns one sentence of word ids (without boundary tokens).</summary>
    public void Learn(IReadOnlyList<int> words)
    {
        var padded = Pad(words);
        for (var i = Order - 1; i < padded.Length; i++)
        {
            Increment(Order, padded.AsSpan(i - Order + 1, Order));
        }

        Sentences++;
        Tokens += words.Count + 1;
    }

    /// <summary>P(word | context); uses the last order−1 ids of the context (shorter contexts are padded with &lt;s&gt;).</summary>
    public double Probability(ReadOnlySpan<int> context, int word)
    {
        Span<int> history = stackalloc int[Order - 1];
        FillHistory(context, history);
        return Probability(history, word, Order);
    }

    /// <summary>P(word | context) and P(&lt;unk&gt; | context) in one pass: the open-vocabulary score needs both for every
    /// word, and they share every context lookup. Each is the same number <see cref="Probability(ReadOnlySpan{int}, int)"/> gives.</summary>
    public (double Word, double Unknown) ProbabilityWithUnknown(ReadOnlySpan<int> context, int word)
    {
        Span<int> history = stackalloc int[Order - 1];
        FillHistory(context, history);
        var p = UnigramProbability(word);
        var u = UnigramProbability(Vocabulary.Unknown);
        Span<int> gram = stackalloc int[Order];
        for (var k = 2; k <= Order; k++)
        {
            var previous = history[^(k - 1)..];
            if (!_contexts[k].TryGetValue(Encode(previous), out var stats) || stats.Total == 0)
            {
                continue;
            }

            previous.CopyTo(gram);
            var (d1, d2, d3) = Discounts(k);
            var backoffMass = d1 * stats.N1 + d2 * stats.N2 + d3 * stats.N3Plus;
            gram[k - 1] = word;
            var count = _counts[k].TryGetValue(Encode(gram[..k]), out var c) ? c : 0;
            p = (Math.Max(count - Discount(count, d1, d2, d3), 0) + backoffMass * p) / stats.Total;
            gram[k - 1] = Vocabulary.Unknown;
            count = _counts[k].TryGetValue(Encode(gram[..k]), out c) ? c : 0;
            u = (Math.Max(count - Discount(count, d1, d2, d3), 0) + backoffMass * u) / stats.Total;
        }

        return (p, u);
    }

    /// <summary>Natural-log probability of a whole sentence including its end, and how many tokens were predicted.</summary>
    public (double LogProbability, int Tokens) Score(IReadOnlyList<int> words)
    {
        var padded = Pad(words);
        var total = 0.0;
        for (var i = Order - 1; i < padded.Length; i++)
        {
            total += Math.Log(Probability(padded.AsSpan(i - Order + 1, Order - 1), padded[i], Order));
        }

        return (total, words.Count + 1);
    }

    /// <summary>Words seen after the longest known suffix of the context, widening to shorter suffixes until
    /// <paramref name="limit"/> candidates are found. This is where generation looks for its next token.</summary>
    public List<int> Successors(ReadOnlySpan<int> context, int limit)
    {
        Span<int> history = stackalloc int[Order - 1];
        FillHistory(context, history);
        var found = new List<int>();
        var seen = new HashSet<int>();
        for (var k = Order; k >= 2 && found.Count < limit; k--)
        {
            if (_contexts[k].TryGetValue(Encode(history[^(k - 1)..]), out var stats))
            {
                // Short contexts can have thousands of followers; the first ones seen are the common ones.
                foreach (var word in stats.Successors)
                {
                    if (found.Count >= limit)
                    {
                        break;
                    }

                    if (seen.Add(word))
                    {
                        found.Add(word);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The modified Kneser-Ney discounts D1, D2, D3+ of an order, from its counts-of-counts.</summary>
    public (double D1, double D2, double D3) Discounts(int order)
    {
        // Asked for at every order of every probability: computed once per change of the counts-of-counts.
        if (_discountsValid[order])
        {
            return _discounts[order];
        }

        _discounts[order] = EstimateDiscounts(order);
        _discountsValid[order] = true;
        return _discounts[order];
    }

    private (double D1, double D2, double D3) EstimateDiscounts(int order)
    {
        var n = _countOfCounts[order];
        if (n[1] == 0 || n[2] == 0 || n[3] == 0 || n[4] == 0)
        {
            // Too little data for the estimate (a tiny corpus or the first few messages): fixed, halving discounts.
            return (0.5, 1.0, 1.5);
        }

        var y = n[1] / (n[1] + 2.0 * n[2]);
        var d1 = 1 - 2 * y * n[2] / n[1];
        var d2 = 2 - 3 * y * n[3] / n[2];
        var d3 = 3 - 4 * y * n[4] / n[3];
        // Odd counts-of-counts (a scripted teacher repeats lines) can push the estimate to zero or below; a floor keeps
        // some mass for unseen words in every context, so no probability is ever zero.
        return (Math.Clamp(d1, MinDiscount, 1), Math.Clamp(d2, MinDiscount, 2), Math.Clamp(d3, MinDiscount, 3));
    }

    /// <summary>The count an order keeps for an n-gram: raw at the highest order, continuation count below.</summary>
    public int Count(ReadOnlySpan<int> ngram) =>
        _counts[ngram.Length].TryGetValue(Encode(ngram), out var count) ? count : 0;

    private double Probability(ReadOnlySpan<int> history, int word, int order)
    {
        var p = UnigramProbability(word);
        Span<int> gram = stackalloc int[order];
        for (var k = 2; k <= order; k++)
        {
            var context = history[^(k - 1)..];
            if (!_contexts[k].TryGetValue(Encode(context), out var stats) || stats.Total == 0)
            {
                continue;
            }

            context.CopyTo(gram);
            gram[k - 1] = word;
            var count = _counts[k].TryGetValue(Encode(gram[..k]), out var c) ? c : 0;
            var (d1, d2, d3) = Discounts(k);
            var backoffMass = d1 * stats.N1 + d2 * stats.N2 + d3 * stats.N3Plus;
            p = (Math.Max(count - Discount(count, d1, d2, d3), 0) + backoffMass * p) / stats.Total;
        }

        return p;
    }

    private double UnigramProbability(int word)
    {
        var uniform = 1.0 / Vocabulary.PredictableCount;
        if (!_contexts[1].TryGetValue(0, out var stats) || stats.Total == 0)
        {
            return uniform;
        }

        Span<int> gram = [word];
        var count = _counts[1].TryGetValue(Encode(gram), out var c) ? c : 0;
        var (d1, d2, d3) = Discounts(1);
        var backoffMass = d1 * stats.N1 + d2 * stats.N2 + d3 * stats.N3Plus;
        return (Math.Max(count - Discount(count, d1, d2, d3), 0) + backoffMass * uniform) / stats.Total;
    }

    private static double Discount(int count, double d1, double d2, double d3) => count switch
    {
        0 => 0,
        1 => d1,
        2 => d2,
        _ => d3,
    };

    private void Increment(int k, ReadOnlySpan<int> gram)
    {
        var key = Encode(gram);
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts[k], key, out _);
        var old = count;
        count = old + 1;

        var countOfCounts = _countOfCounts[k];
        if (old <= 4)
        {
            _discountsValid[k] = false;
        }

        if (old is >= 1 and <= 4)
        {
            countOfCounts[old]--;
        }

        if (old + 1 <= 4)
        {
            countOfCounts[old + 1]++;
        }

        var contextKey = Encode(gram[..^1]);
        if (!_contexts[k].TryGetValue(contextKey, out var stats))
        {
            stats = new ContextStats();
            _contexts[k][contextKey] = stats;
        }

        stats.Add(old, gram[^1]);

        // A new n-gram type gives its suffix one more distinct left neighbour: the lower order's continuation count.
        if (old == 0 && k > 1)
        {
            Increment(k - 1, gram[1..]);
        }
    }

    private int[] Pad(IReadOnlyList<int> words)
    {
        var padded = new int[Order - 1 + words.Count + 1];
        Array.Fill(padded, Vocabulary.SentenceStart, 0, Order - 1);
        for (var i = 0; i < words.Count; i++)
        {
            padded[Order - 1 + i] = words[i];
        }

        padded[^1] = Vocabulary.SentenceEnd;
        return padded;
    }

    private void FillHistory(ReadOnlySpan<int> context, Span<int> history)
    {
        history.Fill(Vocabulary.SentenceStart);
        var take = Math.Min(context.Length, history.Length);
        context[^take..].CopyTo(history[^take..]);
    }

    private static UInt128 Encode(ReadOnlySpan<int> ids)
    {
        UInt128 key = 0;
        foreach (var id in ids)
        {
            key = (key << BitsPerId) | (uint)(id + 1);
        }

        return key;
    }

    /// <summary>Per-context totals: the sum of counts after it and how many followers have count 1, 2 and 3+.</summary>
    private sealed class ContextStats
    {
        public long Total;
        public int N1;
        public int N2;
        public int N3Plus;
        public readonly List<int> Successors = [];

        public void Add(int oldCount, int word)
        {
            Total++;
            switch (oldCount)
            {
                case 0:
                    N1++;
                    Successors.Add(word);
                    break;
                case 1:
                    N1--;
                    N2++;
                    break;
                case 2:
                    N2--;
                    N3Plus++;
                    break;
            }
        }
    }
}

using Cerebrum.Api.Infrastructure;

namespace Cerebrum.Api.Learning;

/// <summary>What feedback says, in memory: one current verdict per exchange (a later feedback replaces the earlier
/// one, so counters count rated exchanges, not requests), the corrections as supervised message → reply pairs
/// found by the message's words, and the scored replies whose near-copies a poor score pushes down.
/// Not thread-safe: <see cref="Learner"/> serialises access.</summary>
public sealed class FeedbackBook
{
    /// <summary>How many of the most recently first-rated replies judge candidates (bounded: each candidate is
    /// compared with them).</summary>
    public const int ScoredMemory = 1000;

    /// <summary>How many corrections per message word are compared (the newest).</summary>
    private const int PostingsPerWord = 200;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _correctionIndex = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, string> _scoredByOrder = [];
    // The judging replies by bigram (their orders), so a candidate meets only the rated replies it shares a bigram
    // with instead of all of them: with every exchange rated that was 1,000 set intersections per candidate.
    private readonly Dictionary<string, List<long>> _judgingByBigram = new(StringComparer.Ordinal);
    private double _scoreSum;
    private int _scored;

    /// <summary>Exchanges with feedback.</summary>
    public int Received => _entries.Count;

    /// <summary>Exchanges whose current feedback carries a correction.</summary>
    public int Corrections { get; private set; }

    /// <summary>Mean of the current scores, or null while no exchange has one.</summary>
    public double? MeanScore => _scored == 0 ? null : _scoreSum / _scored;

    public FeedbackSummary Summary() =>
        new(Received, Corrections, MeanScore is { } mean ? Math.Round(mean, 4) : null);

    /// <summary>The feedback an exchange has now, or null.</summary>
    public StoredFeedback? Current(string exchangeId) => _entries.TryGetValue(exchangeId, out var entry) ? entry.Stored : null;

    /// <summary>Records an exchange's feedback, replacing whatever it had.</summary>
    public void Apply(StoredFeedback feedback)
    {
        if (_entries.Remove(feedback.ExchangeId, out var old))
        {
            Forget(old);
        }

        var entry = new Entry(
            feedback,
            Words(Tokenizer.Tokenize(feedback.Message)),
            Bigrams(Tokenizer.Tokenize(feedback.Response)),
            feedback.Correction is null ? null : Tokenizer.Tokenize(feedback.Correction));
        _entries[feedback.ExchangeId] = entry;
        if (feedback.Score is { } score)
        {
            _scoreSum += score;
            _scored++;
            _scoredByOrder[feedback.Order] = feedback.ExchangeId;
            IndexJudging(feedback.Order, entry.ResponseBigrams);
            while (_scoredByOrder.Count > ScoredMemory)
            {
                var (oldest, exchangeId) = _scoredByOrder.First();
                _scoredByOrder.Remove(oldest);
                UnindexJudging(oldest, _entries[exchangeId].ResponseBigrams);
            }
        }

        if (entry.Correction is not null)
        {
            Corrections++;
            foreach (var key in IndexKeys(entry.MessageWords))
            {
                if (!_correctionIndex.TryGetValue(key, out var postings))
                {
                    _correctionIndex[key] = postings = [];
                }

                postings.Add(feedback.ExchangeId);
            }
        }
    }

    /// <summary>Corrections given for messages like this one, with their similarity to it in (0, 1]: the cosine of
    /// the two messages' word sets, each word weighted by <paramref name="weight"/>.</summary>
    public List<(List<string> Correction, string Text, double Similarity)> CorrectionsFor(IReadOnlyList<string> messageTokens, Func<string, double> weight)
    {
        var found = new List<(List<string>, string, double)>();
        if (Corrections == 0)
        {
            return found;
        }

        var words = Words(messageTokens);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in IndexKeys(words))
        {
            if (!_correctionIndex.TryGetValue(key, out var postings))
            {
                continue;
            }

            for (var i = postings.Count - 1; i >= Math.Max(0, postings.Count - PostingsPerWord); i--)
            {
                var id = postings[i];
                if (!seen.Add(id) || !_entries.TryGetValue(id, out var entry) || entry.Correction is null)
                {
                    continue;
                }

                var similarity = Cosine(words, entry.MessageWords, weight);
                if (similarity > 0)
                {
                    found.Add((entry.Correction, entry.Stored.Correction!, similarity));
                }
            }
        }

        return found;
    }

    /// <summary>How scored replies judge a candidate, in [−1, 1]: each rated reply's score, centred (0.5 is neutral,
    /// 0 counts −1, 1 counts +1), weighted by its bigram Jaccard overlap with the candidate, so a poor score pushes
    /// down that reply and its near-copies.</summary>
    public double Judge(IReadOnlyList<string> tokens)
    {
        if (_scoredByOrder.Count == 0)
        {
            return 0;
        }

        var bigrams = Bigrams(tokens);
        if (bigrams.Count == 0)
        {
            return 0;
        }

        var shared = new Dictionary<long, int>();
        foreach (var bigram in bigrams)
        {
            if (_judgingByBigram.TryGetValue(bigram, out var orders))
            {
                foreach (var order in orders)
                {
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(shared, order, out _)++;
                }
            }
        }

        if (shared.Count == 0)
        {
            return 0;
        }

        // Summed in the order of first rating, as over all rated replies, so the total is the same number.
        var touched = shared.Keys.ToArray();
        Array.Sort(touched);
        var total = 0.0;
        foreach (var order in touched)
        {
            var entry = _entries[_scoredByOrder[order]];
            var count = shared[order];
            total += (2 * entry.Stored.Score!.Value - 1) * count / (double)(bigrams.Count + entry.ResponseBigrams.Count - count);
        }

        return Math.Clamp(total, -1, 1);
    }

    private void Forget(Entry old)
    {
        if (old.Stored.Score is { } score)
        {
            _scoreSum -= score;
            _scored--;
            if (_scoredByOrder.Remove(old.Stored.Order))
            {
                UnindexJudging(old.Stored.Order, old.ResponseBigrams);
            }
        }

        if (old.Correction is not null)
        {
            Corrections--;
            foreach (var key in IndexKeys(old.MessageWords))
            {
                _correctionIndex[key].Remove(old.Stored.ExchangeId);
            }
        }
    }

    private void IndexJudging(long order, HashSet<string> bigrams)
    {
        foreach (var bigram in bigrams)
        {
            if (!_judgingByBigram.TryGetValue(bigram, out var orders))
            {
                _judgingByBigram[bigram] = orders = [];
            }

            orders.Add(order);
        }
    }

    private void UnindexJudging(long order, HashSet<string> bigrams)
    {
        foreach (var bigram in bigrams)
        {
            var orders = _judgingByBigram[bigram];
            orders.Remove(order);
            if (orders.Count == 0)
            {
                _judgingByBigram.Remove(bigram);
            }
        }
    }

    /// <summary>Where a message is filed: under its content words, or, when it has none ("How are you?"), under all
    /// of its words joined, so only the same words find it.</summary>
    private static IEnumerable<string> IndexKeys(HashSet<string> words)
    {
        var content = words.Where(Tokenizer.IsContentWord).ToList();
        return content.Count > 0 ? content : [" " + string.Join(' ', words.Order(StringComparer.Ordinal))];
    }

    private static double Cosine(HashSet<string> a, HashSet<string> b, Func<string, double> weight)
    {
        double dot = 0, na = 0, nb = 0;
        foreach (var word in a)
        {
            var w = weight(word);
            na += w * w;
            if (b.Contains(word))
            {
                dot += w * w;
            }
        }

        foreach (var word in b)
        {
            var w = weight(word);
            nb += w * w;
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static HashSet<string> Words(IEnumerable<string> tokens) =>
        tokens.Where(t => !Tokenizer.IsPunctuation(t)).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Bigrams(IReadOnlyList<string> tokens)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < tokens.Count; i++)
        {
            set.Add(tokens[i - 1] + " " + tokens[i]);
        }

        return set;
    }

    private sealed record Entry(StoredFeedback Stored, HashSet<string> MessageWords, HashSet<string> ResponseBigrams, List<string>? Correction);
}

/// <summary><c>"feedback"</c> in <c>GET /api/status</c>: rated exchanges, how many carry a correction, and the mean
/// of their current scores (null until one has a score).</summary>
public sealed record FeedbackSummary(int Received, int Corrections, double? MeanScore);

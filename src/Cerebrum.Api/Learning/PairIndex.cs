namespace Cerebrum.Api.Learning;

/// <summary>A stimulus→response pair the learner can answer with. <see cref="Context"/> is the turn before the
/// stimulus (what the conversation was about), <see cref="Kind"/> where the pair came from.</summary>
public sealed record ObservedPair(
    int Id, string Kind, string? Conversation, double StimulusNorm, int[] ContextWords, float[] ContextWeights, double ContextNorm,
    string Response, WordBag ResponseWords);

/// <summary>
/// Stimulus→response pairs with an inverted index over the stimulus words, ranked by TF-IDF cosine: how much of the
/// message's rare words a stimulus shares, plus a smaller share of the same for the turns before each. Document
/// frequencies count the stimuli that hold a word; a stimulus's norm is fixed with the frequencies of the moment it is
/// learned (frequencies change slowly, and a replay in the same order rebuilds the same numbers).
/// Not thread-safe: <see cref="Learner"/> serialises access.
/// </summary>
public sealed class PairIndex
{
    /// <summary>How many of a word's newest pairs a query reads: bounds a query however large the store grows.</summary>
    public const int PostingsPerWord = 1500;

    private readonly List<ObservedPair> _pairs = [];
    // Each posting carries the word's TF-IDF weight in that stimulus, so a query needs no per-pair lookup.
    private readonly Dictionary<int, List<(int Pair, float Weight)>> _postings = [];
    private readonly Dictionary<int, int> _documentFrequency = [];
    // Reused by every search: the stimulus dot products per pair, and which pairs hold one.
    private double[] _dot = [];
    private readonly List<int> _touched = [];

    public int Count => _pairs.Count;

    public double InverseDocumentFrequency(int word) =>
        Math.Log((_pairs.Count + 1.0) / (_documentFrequency.GetValueOrDefault(word) + 1.0)) + 1;

    /// <summary>A TF-IDF vector of word ids (punctuation and unknown words left out) and its norm.</summary>
    public (Dictionary<int, double> Vector, double Norm) Vector(IEnumerable<int> words)
    {
        var vector = new Dictionary<int, double>();
        foreach (var word in words)
        {
            vector[word] = vector.GetValueOrDefault(word) + 1;
        }

        var norm = 0.0;
        foreach (var word in vector.Keys)
        {
            var weight = vector[word] * InverseDocumentFrequency(word);
            vector[word] = weight;
            norm += weight * weight;
        }

        return (vector, Math.Sqrt(norm));
    }

    /// <summary>The pairs whose stimulus holds the word, oldest first (with the word's weight in each).</summary>
    public IReadOnlyList<(int Pair, float Weight)> Postings(int word) => _postings.TryGetValue(word, out var postings) ? postings : [];

    /// <summary>The response words of a pair, by its id.</summary>
    public WordBag ResponseOf(int pair) => _pairs[pair].ResponseWords;

    /// <summary>Adds a pair; <paramref name="responseWords"/> are the response's words as <see cref="WordOverlap.Words(string)"/> gives them.</summary>
    public void Add(string kind, string? conversation, IReadOnlyList<int> stimulus, IReadOnlyList<int> context, string response, WordBag responseWords)
    {
        var id = _pairs.Count;
        foreach (var word in stimulus.Distinct())
        {
            _documentFrequency[word] = _documentFrequency.GetValueOrDefault(word) + 1;
        }

        var (vector, norm) = Vector(stimulus);
        foreach (var (word, weight) in vector)
        {
            if (!_postings.TryGetValue(word, out var postings))
            {
                _postings[word] = postings = [];
            }

            postings.Add((id, (float)weight));
        }

        var (contextVector, contextNorm) = Vector(context);
        _pairs.Add(new ObservedPair(id, kind, conversation, norm, [.. contextVector.Keys], [.. contextVector.Values.Select(v => (float)v)],
            contextNorm, response, responseWords));
    }

    /// <summary>The <paramref name="limit"/> pairs most similar to a message (cosine of the stimuli) and its
    /// conversation's previous turn (cosine of the pairs' contexts, times <paramref name="contextWeight"/>), best first;
    /// ties go to the older pair.</summary>
    /// <remarks>
    /// The same list a full sort of every matched pair gives, for less: the stimulus cosines are summed into a reused
    /// array (no dictionary per request), and a pair's context is scored only while its stimulus cosine plus the
    /// largest context bonus it could get (<paramref name="contextWeight"/> × 1, a cosine of non-negative weights)
    /// can still reach the <paramref name="limit"/>-th best so far; the pairs are visited best stimulus first, from a
    /// heap, so typically a few hundred of the thousands matched are ever scored or ordered.
    /// </remarks>
    public List<(ObservedPair Pair, double Similarity)> Search(IReadOnlyList<int> message, IReadOnlyList<int> previous, double contextWeight, int limit)
    {
        var (query, norm) = Vector(message);
        var found = new List<(ObservedPair, double)>();
        if (norm == 0 || limit <= 0)
        {
            return found;
        }

        if (_dot.Length < _pairs.Count)
        {
            Array.Resize(ref _dot, Math.Max(_pairs.Count, _dot.Length * 2));
        }

        _touched.Clear();
        foreach (var (word, weight) in query)
        {
            if (!_postings.TryGetValue(word, out var postings))
            {
                continue;
            }

            for (var i = postings.Count - 1; i >= Math.Max(0, postings.Count - PostingsPerWord); i--)
            {
                var (pair, stimulusWeight) = postings[i];
                // Every product is positive (weights are counts × IDF ≥ 1), so a zero sum means not yet touched.
                if (_dot[pair] == 0)
                {
                    _touched.Add(pair);
                }

                _dot[pair] += weight * stimulusWeight;
            }
        }

        var byStimulus = new PriorityQueue<int, (double Similarity, int Id)>(_touched.Count, BestFirst);
        foreach (var id in _touched)
        {
            byStimulus.Enqueue(id, (_dot[id] / (norm * _pairs[id].StimulusNorm), id));
            _dot[id] = 0;
        }

        var (context, contextNorm) = Vector(previous);
        // A cosine of non-negative weights is at most 1; the margin covers the rounding of float weights.
        var bonusBound = contextNorm > 0 ? contextWeight * (1 + 1e-6) + 1e-12 : 0;
        var kept = new PriorityQueue<int, (double Similarity, int Id)>(limit + 1, WorstFirst);
        while (byStimulus.TryDequeue(out var id, out var key))
        {
            if (kept.Count == limit && kept.TryPeek(out _, out var worst) && key.Similarity + bonusBound < worst.Similarity)
            {
                break;
            }

            var pair = _pairs[id];
            var similarity = key.Similarity;
            if (contextNorm > 0 && pair.ContextNorm > 0)
            {
                var shared = 0.0;
                for (var i = 0; i < pair.ContextWords.Length; i++)
                {
                    if (context.TryGetValue(pair.ContextWords[i], out var weight))
                    {
                        shared += weight * pair.ContextWeights[i];
                    }
                }

                similarity += contextWeight * shared / (contextNorm * pair.ContextNorm);
            }

            kept.Enqueue(id, (similarity, id));
            if (kept.Count > limit)
            {
                kept.Dequeue();
            }
        }

        while (kept.TryDequeue(out var id, out var key))
        {
            found.Add((_pairs[id], key.Similarity));
        }

        found.Reverse();
        return found;
    }

    /// <summary>Higher similarity first, then the older pair: the order results are returned in.</summary>
    private static readonly Comparer<(double Similarity, int Id)> BestFirst = Comparer<(double Similarity, int Id)>.Create(
        (a, b) => a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity) : a.Id.CompareTo(b.Id));

    /// <summary>The reverse: the kept pair that would be dropped first is at the top.</summary>
    private static readonly Comparer<(double Similarity, int Id)> WorstFirst = Comparer<(double Similarity, int Id)>.Create(
        (a, b) => BestFirst.Compare(b, a));
}

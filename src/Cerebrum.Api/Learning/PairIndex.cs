namespace Cerebrum.Api.Learning;

/// <summary>A stimulus→response pair the learner can answer with. <see cref="Context"/> is the turn before the
/// stimulus (what the conversation was about), <see cref="Kind"/> where the pair came from.</summary>
public sealed record ObservedPair(
    int Id, string Kind, string? Conversation, double StimulusNorm, int[] ContextWords, float[] ContextWeights, double ContextNorm,
    string Response, string[] ResponseWords);

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

    /// <summary>Adds a pair; <paramref name="responseWords"/> are the response's words as <see cref="WordOverlap.Words(string)"/> gives them.</summary>
    public void Add(string kind, string? conversation, IReadOnlyList<int> stimulus, IReadOnlyList<int> context, string response, string[] responseWords)
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
    /// conversation's previous turn (cosine of the pairs' contexts, times <paramref name="contextWeight"/>), best first.</summary>
    public List<(ObservedPair Pair, double Similarity)> Search(IReadOnlyList<int> message, IReadOnlyList<int> previous, double contextWeight, int limit)
    {
        var (query, norm) = Vector(message);
        var found = new List<(ObservedPair, double)>();
        if (norm == 0)
        {
            return found;
        }

        var (context, contextNorm) = Vector(previous);
        var dot = new Dictionary<int, double>();
        foreach (var (word, weight) in query)
        {
            if (!_postings.TryGetValue(word, out var postings))
            {
                continue;
            }

            for (var i = postings.Count - 1; i >= Math.Max(0, postings.Count - PostingsPerWord); i--)
            {
                var (pair, stimulusWeight) = postings[i];
                ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(dot, pair, out _);
                sum += weight * stimulusWeight;
            }
        }

        foreach (var (id, product) in dot)
        {
            var pair = _pairs[id];
            var similarity = product / (norm * pair.StimulusNorm);
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

            found.Add((pair, similarity));
        }

        // Ties go to the older pair, so a replay ranks exactly as the live learner did.
        found.Sort((a, b) => b.Item2 != a.Item2 ? b.Item2.CompareTo(a.Item2) : a.Item1.Id.CompareTo(b.Item1.Id));
        if (found.Count > limit)
        {
            found.RemoveRange(limit, found.Count - limit);
        }

        return found;
    }
}

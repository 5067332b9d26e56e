using System.Runtime.InteropServices;

namespace Cerebrum.Api.Learning;

/// <summary>
/// Which words an answer holds, given the words of the message it answers: the learner's estimate of the reply a
/// message will get, word by word. Retrieval weighs the pairs whose whole stimulus is like the message; this asks, for
/// each word of the message, what the pairs whose stimulus held that word were answered with, so "breakfast" in a
/// message makes "served", "o'clock" and "morning" likelier in its answer even when no stimulus about breakfast
/// resembles it as a whole, and "you" makes "I" likelier.
/// <para>
/// For a message word m and a reply word r: P(r | m) = (c(m, r) + s · P(r)) / (c(m) + s), where c(m) counts the
/// newest <see cref="PairsPerWord"/> pairs whose stimulus holds m (the pair index's postings), c(m, r) those of them
/// whose response holds r, P(r) the share of all responses holding r, and s = 5, so a word seen with m twice does not
/// yet outweigh how common r is. A message's estimate is the mean over its distinct words weighted by their IDF; the
/// expected unigram F1 of a reply is 2 · Σ P(r | message) over its distinct words / (its length + the mean response
/// length).
/// </para>
/// <para>
/// Nothing is counted per word pair when a pair is learned (that made learning 3.5–9× slower): a rare word's counts are
/// read from its postings when a message holds it; a common word's (at least <see cref="CachedFrom"/> postings) are kept
/// for its window of postings and moved along when it is next asked about, so each posting is counted once on entering
/// the window and once on leaving it. Both give the same exact numbers, so replies do not depend on what was asked before.
/// </para>
/// Not thread-safe: <see cref="Learner"/> serialises access.
/// </summary>
public sealed class WordAssociations(PairIndex pairs)
{
    /// <summary>How many of a word's newest pairs count (the same bound as the pair index's queries).</summary>
    public const int PairsPerWord = PairIndex.PostingsPerWord;

    /// <summary>From how many postings a word's counts are kept rather than read afresh for each message.</summary>
    public const int CachedFrom = 64;

    private const double Smoothing = 5;

    private readonly Dictionary<int, int> _responses = [];
    private readonly HashSet<int> _distinct = [];
    private readonly Dictionary<int, Window> _windows = [];
    private readonly List<int> _touched = [];
    private readonly List<(Window Window, double Share)> _common = [];
    private double[] _gathered = new double[1024];
    private long _pairs;
    private long _responseLength;

    public double MeanResponseLength => _pairs == 0 ? 0 : (double)_responseLength / _pairs;

    /// <summary>Counts a learned pair's response (call with every pair added to the index).</summary>
    public void Add(WordBag response)
    {
        _pairs++;
        _responseLength += response.Count;
        _distinct.Clear();
        foreach (var word in response.Ids)
        {
            if (_distinct.Add(word))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_responses, word, out _)++;
            }
        }
    }

    /// <summary>What the model expects of the answer to a message with these distinct words (vocabulary ids as the
    /// pair index holds them) and weights: ask it about each candidate reply before the next call.</summary>
    public Expectation Expect(IReadOnlyList<(int Word, double Weight)> message)
    {
        // P(r | message) · Σw = Σ_m w_m · c(m, r) / (c(m) + s) + P(r) · Σ_m w_m · s / (c(m) + s). Rare words' terms of
        // the first sum are gathered into a dense array by word id (reused), common words' are looked up in their
        // windows; the second sum is one number per message.
        foreach (var word in _touched)
        {
            _gathered[word] = 0;
        }

        _touched.Clear();
        _common.Clear();
        var total = 0.0;
        var priorShare = 0.0;
        foreach (var (word, weight) in message)
        {
            total += weight;
            var postings = pairs.Postings(word);
            var from = Math.Max(0, postings.Count - PairsPerWord);
            var share = weight / (postings.Count - from + Smoothing);
            priorShare += share * Smoothing;
            if (postings.Count >= CachedFrom)
            {
                _common.Add((WindowOf(word, postings, from), share));
                continue;
            }

            for (var p = from; p < postings.Count; p++)
            {
                var sorted = pairs.ResponseOf(postings[p].Pair).Sorted;
                for (var i = 0; i < sorted.Length; i++)
                {
                    var answer = sorted[i];
                    if (i > 0 && answer == sorted[i - 1])
                    {
                        continue;
                    }

                    if (answer >= _gathered.Length)
                    {
                        Array.Resize(ref _gathered, Math.Max(answer + 1, _gathered.Length * 2));
                    }

                    if (_gathered[answer] == 0)
                    {
                        _touched.Add(answer);
                    }

                    _gathered[answer] += share;
                }
            }
        }

        return new Expectation(this, total, priorShare);
    }

    private Window WindowOf(int word, IReadOnlyList<(int Pair, float Weight)> postings, int from)
    {
        if (!_windows.TryGetValue(word, out var window))
        {
            _windows[word] = window = new Window();
        }

        // Postings only grow at the end: count the ones that entered the window, uncount the ones that left it.
        for (var p = window.End; p < postings.Count; p++)
        {
            var sorted = pairs.ResponseOf(postings[p].Pair).Sorted;
            for (var i = 0; i < sorted.Length; i++)
            {
                if (i == 0 || sorted[i] != sorted[i - 1])
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(window.Counts, sorted[i], out _)++;
                }
            }
        }

        for (var p = window.Start; p < from; p++)
        {
            var sorted = pairs.ResponseOf(postings[p].Pair).Sorted;
            for (var i = 0; i < sorted.Length; i++)
            {
                if ((i == 0 || sorted[i] != sorted[i - 1]) && --CollectionsMarshal.GetValueRefOrNullRef(window.Counts, sorted[i]) == 0)
                {
                    window.Counts.Remove(sorted[i]);
                }
            }
        }

        window.Start = from;
        window.End = postings.Count;
        return window;
    }

    private double Prior(int word) => _pairs == 0 ? 0 : _responses.GetValueOrDefault(word) / (double)_pairs;

    private double Gathered(int word)
    {
        var sum = word < _gathered.Length ? _gathered[word] : 0;
        foreach (var (window, share) in _common)
        {
            sum += share * window.Counts.GetValueOrDefault(word);
        }

        return sum;
    }

    /// <summary>A common word's counts over postings [Start, End): how many of those pairs' responses hold each word.</summary>
    private sealed class Window
    {
        public int Start { get; set; }

        public int End { get; set; }

        public Dictionary<int, int> Counts { get; } = [];
    }

    /// <summary>The answer expected to one message, valid until the next <see cref="Expect"/>.</summary>
    public sealed class Expectation
    {
        private readonly WordAssociations _model;
        private readonly double _total;
        private readonly double _priorShare;
        private readonly Dictionary<int, double> _probabilities = [];

        internal Expectation(WordAssociations model, double total, double priorShare)
        {
            _model = model;
            _total = total;
            _priorShare = priorShare;
        }

        /// <summary>P(r | message) of one reply word.</summary>
        public double Probability(int word)
        {
            ref var probability = ref CollectionsMarshal.GetValueRefOrAddDefault(_probabilities, word, out var known);
            if (!known)
            {
                probability = _total <= 0 ? _model.Prior(word) : (_model.Gathered(word) + _model.Prior(word) * _priorShare) / _total;
            }

            return probability;
        }

        /// <summary>The expected unigram F1 of <paramref name="reply"/> against the answer; 0 before any pair is learned.</summary>
        public double F1(WordBag reply)
        {
            if (_model._pairs == 0 || reply.Count == 0)
            {
                return 0;
            }

            var overlap = 0.0;
            var sorted = reply.Sorted;
            for (var i = 0; i < sorted.Length; i++)
            {
                if (i == 0 || sorted[i] != sorted[i - 1])
                {
                    overlap += Probability(sorted[i]);
                }
            }

            return 2 * overlap / (reply.Count + _model.MeanResponseLength);
        }
    }
}

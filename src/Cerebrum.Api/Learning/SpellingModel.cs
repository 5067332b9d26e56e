namespace Cerebrum.Api.Learning;

/// <summary>
/// A character-level model of how words are spelled, so an unknown word has a probability of its own instead of one
/// shared <c>&lt;unk&gt;</c> mass. It is a Kneser-Ney model over the characters (UTF-16 code units) of each new word
/// type, closed by an end-of-word symbol. A character it has never seen gets P(unknown character | history) / 65,536,
/// and a known one gets that share too on top of its own probability, so
/// P(c | h) = P_KN(c | h) + P_KN(unk | h) / 65,536 sums to one over all 65,536 code units plus the end of the word, and
/// P_spell(w) = Π P(cᵢ | h) · P_KN(end | h) sums to one over all strings (every step can end the word).
/// New word types can be learned in batches: every probability then comes from the model as it was after the last
/// full batch (one model state, so the sums above still hold), and a word's probability, cached, is computed once per
/// batch instead of once per new word. Held-out scoring priced every word anew after each new word type and was the
/// largest single cost of learning one observation.
/// </summary>
public sealed class SpellingModel
{
    private const double CodeUnits = 65_536;
    private readonly Vocabulary _characters = new();
    private readonly KneserNeyModel _model;

    // Each word's probability until the model learns another word; bounded, since texts can hold any strings.
    private readonly Dictionary<string, double> _cache = new(StringComparer.Ordinal);
    private const int CacheLimit = 100_000;

    private readonly int _batch;
    private readonly Dictionary<char, int> _characterIds = [];
    private readonly Dictionary<UInt128, double> _steps = [];
    private readonly List<string> _pending = [];

    /// <param name="order">The character n-gram order.</param>
    /// <param name="batch">How many new word types are learned together (1: each at once).</param>
    public SpellingModel(int order = 5, int batch = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        _model = new KneserNeyModel(order, _characters);
        _batch = batch;
    }

    /// <summary>Word types the probabilities are computed from (those of the last full batch).</summary>
    public long Words => _model.Sentences;

    /// <summary>Learns the spelling of one new word type (with the rest of its batch, once that is full).</summary>
    public void Learn(string word)
    {
        _pending.Add(word);
        if (_pending.Count < _batch)
        {
            return;
        }

        foreach (var pending in _pending)
        {
            var ids = new int[pending.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                if (!_characterIds.TryGetValue(pending[i], out ids[i]))
                {
                    _characterIds[pending[i]] = ids[i] = _characters.GetOrAdd(pending[i].ToString());
                }
            }

            _model.Learn(ids);
        }

        _pending.Clear();
        _cache.Clear();
        _steps.Clear();
    }

    /// <summary>Natural-log probability of the whole string, its end included.</summary>
    public double LogProbability(string word)
    {
        if (_cache.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var computed = Compute(word);
        if (_cache.Count < CacheLimit)
        {
            _cache[word] = computed;
        }

        return computed;
    }

    private double Compute(string word)
    {
        Span<int> ids = word.Length <= 64 ? stackalloc int[word.Length] : new int[word.Length];
        for (var i = 0; i < word.Length; i++)
        {
            ids[i] = _characterIds.TryGetValue(word[i], out var id) ? id : Vocabulary.Unknown;
        }

        var total = 0.0;
        for (var i = 0; i <= ids.Length; i++)
        {
            total += LogStep(ids[..i], i < ids.Length ? ids[i] : Vocabulary.SentenceEnd);
        }

        return total;
    }

    /// <summary>ln P(next | the characters before it), the end of the word included. A step depends only on the
    /// last order−1 characters, which words share far more than whole words, so steps are cached for the batch.</summary>
    private double LogStep(ReadOnlySpan<int> before, int next)
    {
        // The model's own view of the history: its last order−1 ids, padded with the start symbol.
        UInt128 key = (uint)(next + 1);
        for (var k = 1; k < _model.Order; k++)
        {
            var id = before.Length - k >= 0 ? before[before.Length - k] : Vocabulary.SentenceStart;
            key = (key << 24) | (uint)(id + 1);
        }

        if (_steps.TryGetValue(key, out var cached))
        {
            return cached;
        }

        double step;
        if (next == Vocabulary.SentenceEnd)
        {
            step = Math.Log(_model.Probability(before, Vocabulary.SentenceEnd));
        }
        else
        {
            var (character, unknownCharacter) = _model.ProbabilityWithUnknown(before, next);
            var unknown = unknownCharacter / CodeUnits;
            step = Math.Log(next == Vocabulary.Unknown ? unknown : character + unknown);
        }

        if (_steps.Count < CacheLimit)
        {
            _steps[key] = step;
        }

        return step;
    }
}

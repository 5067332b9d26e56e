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
            _model.Learn(pending.Select(c => _characters.GetOrAdd(c.ToString())).ToList());
        }

        _pending.Clear();
        _cache.Clear();
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
            ids[i] = _characters.Lookup(word[i].ToString());
        }

        var total = 0.0;
        for (var i = 0; i < ids.Length; i++)
        {
            var (character, unknownCharacter) = _model.ProbabilityWithUnknown(ids[..i], ids[i]);
            var unknown = unknownCharacter / CodeUnits;
            total += Math.Log(ids[i] == Vocabulary.Unknown ? unknown : character + unknown);
        }

        return total + Math.Log(_model.Probability(ids, Vocabulary.SentenceEnd));
    }
}

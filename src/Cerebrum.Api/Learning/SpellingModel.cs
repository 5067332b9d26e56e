namespace Cerebrum.Api.Learning;

/// <summary>
/// A character-level model of how words are spelled, so an unknown word has a probability of its own instead of one
/// shared <c>&lt;unk&gt;</c> mass. It is a Kneser-Ney model over the characters (UTF-16 code units) of each new word
/// type, closed by an end-of-word symbol. A character it has never seen gets P(unknown character | history) / 65,536,
/// and a known one gets that share too on top of its own probability, so
/// P(c | h) = P_KN(c | h) + P_KN(unk | h) / 65,536 sums to one over all 65,536 code units plus the end of the word, and
/// P_spell(w) = Π P(cᵢ | h) · P_KN(end | h) sums to one over all strings (every step can end the word).
/// </summary>
public sealed class SpellingModel
{
    private const double CodeUnits = 65_536;
    private readonly Vocabulary _characters = new();
    private readonly KneserNeyModel _model;

    // Each word's probability until the model learns another word; bounded, since texts can hold any strings.
    private readonly Dictionary<string, double> _cache = new(StringComparer.Ordinal);
    private const int CacheLimit = 100_000;

    public SpellingModel(int order = 5)
    {
        _model = new KneserNeyModel(order, _characters);
    }

    /// <summary>Word types learned.</summary>
    public long Words => _model.Sentences;

    /// <summary>Learns the spelling of one new word type.</summary>
    public void Learn(string word)
    {
        _model.Learn(word.Select(c => _characters.GetOrAdd(c.ToString())).ToList());
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

namespace Cerebrum.Api.Learning;

/// <summary>Token ↔ id. Ids 0–2 are the unknown word and the sentence boundaries; learned words follow.</summary>
public sealed class Vocabulary
{
    public const int Unknown = 0;
    public const int SentenceStart = 1;
    public const int SentenceEnd = 2;
    private const int FirstWord = 3;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _tokens = ["<unk>", "<s>", "</s>"];

    /// <summary>Learned word types (boundaries and the unknown word not included).</summary>
    public int WordCount => _tokens.Count - FirstWord;

    /// <summary>Tokens the model can predict: every learned word, the sentence end and the unknown word.</summary>
    public int PredictableCount => WordCount + 2;

    public int GetOrAdd(string token)
    {
        if (_ids.TryGetValue(token, out var id))
        {
            return id;
        }

        id = _tokens.Count;
        _tokens.Add(token);
        _ids[token] = id;
        return id;
    }

    public int Lookup(string token) => _ids.TryGetValue(token, out var id) ? id : Unknown;

    public string this[int id] => _tokens[id];

    /// <summary>Every id the model assigns probability to (used to check that the distribution sums to one).</summary>
    public IEnumerable<int> PredictableIds()
    {
        yield return Unknown;
        yield return SentenceEnd;
        for (var id = FirstWord; id < _tokens.Count; id++)
        {
            yield return id;
        }
    }
}

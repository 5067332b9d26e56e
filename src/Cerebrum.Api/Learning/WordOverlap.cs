namespace Cerebrum.Api.Learning;

/// <summary>
/// Unigram F1 between two texts, the way dialogue research scores a reply against a reference (ParlAI): lower-cased
/// words, punctuation and the articles a/an/the left out, words counted with their multiplicity. The learner uses it
/// to spot copies (F1 above <see cref="CopyThreshold"/>) and to rank candidates by how much they agree.
/// </summary>
public static class WordOverlap
{
    public const double CopyThreshold = 0.8;

    /// <summary>The words F1 compares, from tokens of <see cref="Tokenizer.Tokenize"/>.</summary>
    public static string[] Words(IEnumerable<string> tokens) =>
        tokens.Where(t => !Tokenizer.IsPunctuation(t) && t is not ("a" or "an" or "the")).ToArray();

    public static string[] Words(string text) => Words(Tokenizer.Tokenize(text));

    public static double F1(IReadOnlyList<string> guess, IReadOnlyList<string> reference)
    {
        if (guess.Count == 0 || reference.Count == 0)
        {
            return 0;
        }

        var same = 0;
        // Replies are short: a quadratic match over a small used-flag array beats hashing.
        Span<bool> used = reference.Count <= 256 ? stackalloc bool[reference.Count] : new bool[reference.Count];
        foreach (var word in guess)
        {
            for (var j = 0; j < reference.Count; j++)
            {
                if (!used[j] && string.Equals(reference[j], word, StringComparison.Ordinal))
                {
                    used[j] = true;
                    same++;
                    break;
                }
            }
        }

        return same == 0 ? 0 : 2.0 * same / (guess.Count + reference.Count);
    }

    /// <summary>F1 above the threshold. F1 is at most 2·min(n, m)/(n + m), so texts of too different lengths are no
    /// copies without comparing a word.</summary>
    public static bool IsCopy(IReadOnlyList<string> reply, IReadOnlyList<string> other) =>
        2.0 * Math.Min(reply.Count, other.Count) / Math.Max(1, reply.Count + other.Count) > CopyThreshold && F1(reply, other) > CopyThreshold;
}

using System.Text.RegularExpressions;

namespace Cerebrum.Bench;

/// <summary>Reply scores of the dialogue benchmark: ParlAI's unigram F1 and the copy / diversity figures.</summary>
public static partial class DialogueMetrics
{
    /// <summary>ParlAI's <c>normalize_answer</c>: lower case, punctuation removed, articles (a, an, the) removed,
    /// whitespace collapsed; the remaining words.</summary>
    public static string[] Normalise(string text)
    {
        var lower = text.ToLowerInvariant();
        var noPunctuation = Punctuation().Replace(lower, " ");
        var noArticles = Articles().Replace(noPunctuation, " ");
        return noArticles.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Unigram F1 of a guess against a reference, over normalised words counted with multiplicity
    /// (ParlAI's <c>_prec_recall_f1_score</c>).</summary>
    public static double F1(string guess, string reference) => F1(Normalise(guess), Normalise(reference));

    public static double F1(string[] guess, string[] reference)
    {
        if (guess.Length == 0 || reference.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in reference)
        {
            counts[word] = counts.GetValueOrDefault(word) + 1;
        }

        var same = 0;
        foreach (var word in guess)
        {
            if (counts.TryGetValue(word, out var left) && left > 0)
            {
                counts[word] = left - 1;
                same++;
            }
        }

        if (same == 0)
        {
            return 0;
        }

        var precision = same / (double)guess.Length;
        var recall = same / (double)reference.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>A near-copy: unigram F1 above 0.8.</summary>
    public static bool IsNearCopy(string reply, string other) => F1(reply, other) > 0.8;

    /// <summary>distinct-2 over normalised words of all replies.</summary>
    public static double Distinct2(IEnumerable<string> replies)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var reply in replies)
        {
            var words = Normalise(reply);
            for (var i = 1; i < words.Length; i++)
            {
                distinct.Add(words[i - 1] + " " + words[i]);
                total++;
            }
        }

        return total == 0 ? 0 : distinct.Count / (double)total;
    }

    /// <summary>The share of probes answered by the most frequent reply (compared normalised).</summary>
    public static double TopReplyShare(IReadOnlyCollection<string> replies) =>
        replies.Count == 0 ? 0 : replies.GroupBy(r => string.Join(' ', Normalise(r))).Max(g => g.Count()) / (double)replies.Count;

    // ParlAI: re_punc = [!"#$%&()*+,-./:;<=>?@\[\]\\^`{|}~_\'] and re_art = \b(a|an|the)\b
    [GeneratedRegex(@"[!""#$%&()*+,\-./:;<=>?@\[\]\\^`{|}~_']")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}

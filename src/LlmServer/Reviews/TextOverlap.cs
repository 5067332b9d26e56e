using System.Text.RegularExpressions;

namespace LlmServer.Reviews;

/// <summary>Word-level comparisons the verifier makes: how much of one line another one repeats.</summary>
internal static partial class TextOverlap
{
    public static IReadOnlyList<string> Words(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : WordPattern().Matches(text).Select(m => m.Value.Replace("'", string.Empty, StringComparison.Ordinal).ToLowerInvariant()).ToList();

    /// <summary>Unigram F1 of two lines (ParlAI's measure): 1 for the same words, 0 for none in common.</summary>
    public static double F1(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var counts = a.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var common = 0;
        foreach (var word in b)
        {
            if (counts.TryGetValue(word, out var left) && left > 0)
            {
                counts[word] = left - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / b.Count;
        var recall = (double)common / a.Count;
        return 2 * precision * recall / (precision + recall);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}]+)?")]
    private static partial Regex WordPattern();
}

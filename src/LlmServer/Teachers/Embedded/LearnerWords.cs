using System.Text.RegularExpressions;

namespace LlmServer.Teachers.Embedded;

/// <summary>Finds the words in a learner's line worth picking up: content words, not "the", "is" or "and".</summary>
internal static partial class LearnerWords
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "but", "if", "so", "of", "to", "in", "on", "at", "by", "for", "with", "about",
        "from", "into", "over", "under", "up", "down", "out", "off", "as", "than", "then", "too", "very", "just",
        "i", "me", "my", "mine", "you", "your", "yours", "he", "him", "his", "she", "her", "hers", "it", "its", "we",
        "us", "our", "they", "them", "their", "this", "that", "these", "those", "there", "here", "what", "which",
        "who", "whom", "whose", "when", "where", "why", "how", "am", "is", "are", "was", "were", "be", "been", "being",
        "do", "does", "did", "done", "have", "has", "had", "can", "could", "will", "would", "shall", "should", "may",
        "might", "must", "not", "no", "yes", "all", "any", "some", "each", "every", "more", "most", "much", "many",
        "also", "again", "only", "own", "same", "such", "now", "ok", "okay", "oh", "um", "uh", "well", "really",
        "im", "ive", "id", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "cant", "wont", "lets", "let", "get",
        "got", "one", "thing", "things", "something", "anything", "nothing", "because", "while", "after", "before",
        "tell", "say", "said", "know", "think", "want", "like", "go", "going", "make", "see", "lot", "yeah",
    };

    /// <summary>Words a teacher may react to even though they are too common to echo ("like", "yes", "hello").</summary>
    public static IReadOnlyList<string> AllWords(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : WordPattern().Matches(text).Select(m => Normalise(m.Value)).Where(w => w.Length > 0).ToList();

    /// <summary>Content words in the order the learner used them, each once.</summary>
    public static IReadOnlyList<string> ContentWords(string? text) =>
        AllWords(text).Where(w => w.Length >= 3 && !StopWords.Contains(w)).Distinct().ToList();

    /// <summary>True when <paramref name="word"/> is <paramref name="key"/> or a simple plural or verb form of it.</summary>
    public static bool IsFormOf(string word, string key) =>
        word.Equals(key, StringComparison.OrdinalIgnoreCase)
        || (key.Length > 2 && IsInflectionOf(word, key));

    // Two-letter keys ("hi", "no") match only themselves, or "his" would be a form of "hi".
    private static bool IsInflectionOf(string word, string key) =>
        word.Equals(key + "s", StringComparison.OrdinalIgnoreCase)
        || word.Equals(key + "es", StringComparison.OrdinalIgnoreCase)
        || (key.EndsWith('y') && word.Equals(key[..^1] + "ies", StringComparison.OrdinalIgnoreCase))
        || word.Equals(key + "ing", StringComparison.OrdinalIgnoreCase)
        || (key.EndsWith('e') && word.Equals(key[..^1] + "ing", StringComparison.OrdinalIgnoreCase));

    private static string Normalise(string word) => word.Replace("'", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    [GeneratedRegex(@"[\p{L}]+(?:'[\p{L}]+)?")]
    private static partial Regex WordPattern();
}

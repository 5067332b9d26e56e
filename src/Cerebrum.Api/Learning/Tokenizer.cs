using System.Text;

namespace Cerebrum.Api.Learning;

/// <summary>Lower-cased word and punctuation tokens, sentence splitting and the reverse (detokenising).</summary>
public static class Tokenizer
{
    /// <summary>Words (letters and digits, with inner apostrophes as in "don't") and the punctuation . ! ? , ; :
    /// as tokens, lower-cased. A hand-written scanner: learning must stay in microseconds.</summary>
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            var apostrophe = c is '\'' or '’';
            if (apostrophe && word.Length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                word.Append('\'');
                continue;
            }

            Flush(tokens, word);
            if (c is '.' or '!' or '?' or ',' or ';' or ':')
            {
                tokens.Add(c switch { '.' => ".", '!' => "!", '?' => "?", ',' => ",", ';' => ";", _ => ":" });
            }
        }

        Flush(tokens, word);
        return tokens;
    }

    private static void Flush(List<string> tokens, StringBuilder word)
    {
        if (word.Length > 0)
        {
            tokens.Add(word.ToString());
            word.Clear();
        }
    }

    public static bool IsSentenceEnd(string token) => token is "." or "!" or "?";

    public static bool IsPunctuation(string token) => token.Length == 1 && char.IsPunctuation(token[0]);

    /// <summary>Splits a message into sentences; each keeps its closing punctuation.</summary>
    public static List<List<string>> Sentences(string text) => Sentences(Tokenize(text));

    /// <summary>Splits tokens of <see cref="Tokenize"/> into sentences; each keeps its closing punctuation.</summary>
    public static List<List<string>> Sentences(List<string> tokens)
    {
        var sentences = new List<List<string>>();
        var current = new List<string>();
        foreach (var token in tokens)
        {
            current.Add(token);
            if (IsSentenceEnd(token))
            {
                AddIfWords(sentences, current);
                current = [];
            }
        }

        AddIfWords(sentences, current);
        return sentences;
    }

    private static void AddIfWords(List<List<string>> sentences, List<string> sentence)
    {
        if (sentence.Any(t => !IsPunctuation(t)))
        {
            sentences.Add(sentence);
        }
    }

    /// <summary>Content words: no punctuation, no stop words, no single letters.</summary>
    public static IEnumerable<string> ContentWords(IEnumerable<string> tokens) =>
        tokens.Where(IsContentWord);

    public static bool IsContentWord(string token) =>
        token.Length > 1 && !IsPunctuation(token) && !StopWords.Contains(token);

    public static string Detokenize(IEnumerable<string> tokens)
    {
        var text = new StringBuilder();
        var capitalise = true;
        foreach (var token in tokens)
        {
            if (IsPunctuation(token))
            {
                text.Append(token);
                capitalise = IsSentenceEnd(token);
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(' ');
            }

            var word = token == "i" || token.StartsWith("i'", StringComparison.Ordinal) ? char.ToUpperInvariant(token[0]) + token[1..] : token;
            text.Append(capitalise ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            capitalise = false;
        }

        return text.ToString();
    }

    /// <summary>A stable fingerprint of a token sequence (used to spot verbatim copies).</summary>
    public static ulong Fingerprint(IEnumerable<string> tokens)
    {
        const ulong offset = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offset;
        foreach (var token in tokens)
        {
            foreach (var c in token)
            {
                hash = (hash ^ c) * prime;
            }

            hash = (hash ^ ' ') * prime;
        }

        return hash;
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "can't", "cannot", "could",
        "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "even", "ever", "few", "for", "from",
        "further", "get", "gets", "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here",
        "here's", "hers", "herself", "him", "himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into",
        "is", "isn't", "it", "it's", "its", "itself", "just", "let's", "like", "me", "more", "most", "much", "must", "my", "myself", "no", "nor",
        "not", "now", "of", "off", "oh", "ok", "okay", "on", "once", "one", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
        "really", "same", "shall", "she", "she'd", "she'll", "she's", "should", "shouldn't", "so", "some", "such", "than", "that", "that's", "the", "their",
        "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they'd", "they'll", "they're", "they've",
        "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "wasn't", "we", "we'd", "we'll", "we're",
        "we've", "were", "weren't", "what", "what's", "when", "when's", "where", "where's", "which", "while", "who", "who's",
        "whom", "why", "why's", "will", "with", "won't", "would", "wouldn't", "yes", "yet", "you", "you'd", "you'll", "you're", "you've",
        "your", "yours", "yourself", "yourselves", "s", "t", "re", "ve", "ll", "d", "m", "many", "way", "well", "thing", "things",
        "lot", "let", "say", "said", "tell", "think", "know", "see", "make", "go", "going", "want", "sure", "maybe", "still", "yeah",
    };
}

using Cerebrum.Api.Learning;

namespace Cerebrum.Bench;

/// <summary>
/// The bench's own judge, independent of the learner's internal scores. A topic lexicon is built from every teacher
/// message of the run, labelled with the topic the teacher was asked about: a word belongs to a topic when at least
/// 60% of its (≥ 3) occurrences are in that topic.
/// </summary>
public sealed class TopicLexicon
{
    private readonly Dictionary<string, string> _topicOf = new(StringComparer.Ordinal);

    public TopicLexicon(IEnumerable<(string Topic, string Message)> messages)
    {
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (topic, message) in messages)
        {
            foreach (var word in Words(message))
            {
                if (!counts.TryGetValue(word, out var perTopic))
                {
                    counts[word] = perTopic = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                perTopic[topic] = perTopic.GetValueOrDefault(topic) + 1;
            }
        }

        foreach (var (word, perTopic) in counts)
        {
            var total = perTopic.Values.Sum();
            var (topic, count) = perTopic.MaxBy(p => p.Value);
            if (total >= 3 && count >= 0.6 * total)
            {
                _topicOf[word] = topic;
            }
        }
    }

    public int Size => _topicOf.Count;

    /// <summary>On-topic relevance: the share of the reply's content words that belong to the message's topic and
    /// were not copied from the message. Parroting scores 0; an on-topic answer in new words scores 1.</summary>
    public double Relevance(string reply, string message, string topic)
    {
        var replyWords = Words(reply).Distinct().ToList();
        if (replyWords.Count == 0)
        {
            return 0;
        }

        var copied = Words(message).ToHashSet(StringComparer.Ordinal);
        return replyWords.Count(w => !copied.Contains(w) && _topicOf.TryGetValue(w, out var t) && t == topic) / (double)replyWords.Count;
    }

    /// <summary>Content words, lightly stemmed (plural -s), so "seasons" and "season" count as one word.</summary>
    public static IEnumerable<string> Words(string text) =>
        Tokenizer.ContentWords(Tokenizer.Tokenize(text)).Select(Stem);

    private static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1]
        : word;
}

public static class Evaluation
{
    /// <summary>Jaccard overlap of content words with the message (echo scores 1 by construction).</summary>
    public static double Overlap(string reply, string message)
    {
        var a = TopicLexicon.Words(reply).ToHashSet(StringComparer.Ordinal);
        var b = TopicLexicon.Words(message).ToHashSet(StringComparer.Ordinal);
        var union = a.Union(b).Count();
        return union == 0 ? 0 : a.Intersect(b).Count() / (double)union;
    }

    public static List<string> ReplyWords(string reply) =>
        Tokenizer.Tokenize(reply).Where(t => !Tokenizer.IsPunctuation(t)).ToList();
}

/// <summary>Tracks every sentence a learner has been shown so far, to tell a verbatim copy from a new sentence.</summary>
public sealed class ObservedText
{
    private readonly HashSet<ulong> _sentences = [];

    public void Observe(string message)
    {
        foreach (var sentence in Tokenizer.Sentences(message))
        {
            _sentences.Add(Tokenizer.Fingerprint(sentence));
        }
    }

    /// <summary>A reply is a verbatim copy when every sentence of it was said before by the teacher.</summary>
    public bool IsVerbatim(string reply)
    {
        var sentences = Tokenizer.Sentences(reply);
        return sentences.Count > 0 && sentences.All(s => _sentences.Contains(Tokenizer.Fingerprint(s)));
    }
}

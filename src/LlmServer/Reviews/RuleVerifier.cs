using LlmServer.Teachers.Embedded;

namespace LlmServer.Reviews;

/// <summary>
/// Judges a learner reply with no model: is it empty, an echo of the teacher's line, a copy of an earlier turn or of
/// the learner's own recent reply, off the topic, too short or too long, or a broken sentence; and does it answer the
/// message at all. Deterministic, so the same exchange always gets the same review.
/// </summary>
public sealed class RuleVerifier(TopicLibrary library, BetterReplyWriter writer)
{
    public const string ModelName = "bridge-rule-verifier-v1";
    public const string ReviewerName = $"embedded/{ModelName}";

    /// <summary>At or above this unigram F1 a reply counts as a copy of the line it is compared with.</summary>
    public const double CopyThreshold = 0.8;

    /// <summary>The most a copy (of the message or of an earlier turn) can score, whatever else is right with it.</summary>
    public const double CopyCap = 0.3;

    /// <summary>A yes or no that restates the question is an answer; only a near-verbatim restatement is an echo.</summary>
    public const double YesNoEchoThreshold = 0.9;

    /// <summary>The most a reply that does not answer the teacher's question can score.</summary>
    public const double UnansweredCap = 0.6;

    public const string NotAnswered = "The reply does not answer the teacher's question.";

    public const int TooShortWords = 3;
    public const int TooLongWords = 40;

    private static readonly HashSet<string> DanglingEndings = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "of", "to", "and", "or", "but", "with", "for", "my", "your", "is", "are", "in", "on", "at", "very",
    };

    private static readonly HashSet<string> YesNoOpeners = new(StringComparer.Ordinal)
    {
        "do", "does", "did", "are", "is", "was", "were", "can", "could", "have", "has", "would", "will", "should",
    };

    private static readonly HashSet<string> AnswerWords = new(StringComparer.Ordinal)
    {
        "yes", "no", "sure", "not", "never", "sometimes", "often", "maybe", "of", "course",
    };

    public Review Review(ReviewInput input)
    {
        var reasons = new List<string>();
        var reply = TextOverlap.Words(input.LearnerReply);
        var better = writer.Write(input);
        if (reply.Count == 0)
        {
            var zero = ReviewRubric.Dimensions.ToDictionary(name => name, _ => 0.0);
            return new Review(0, ReviewRubric.Poor, zero, ["The reply is empty."], better, ReviewerName);
        }

        var echo = MaxSimilarity(reply, [input.TeacherMessage]);
        var earlier = MaxSimilarity(reply, input.History.Select(turn => turn.Content));
        var own = MaxSimilarity(reply, input.History.Where(turn => turn.IsLearner).TakeLast(3).Select(turn => turn.Content));
        var copied = false;
        // "Is it raining today?" "Yes, it is raining today." restates the question to answer it; that is no echo.
        var answersYesNo = reply[0] is "yes" or "no" && IsYesNoQuestion(LastQuestion(input.TeacherMessage));
        if (echo >= (answersYesNo ? YesNoEchoThreshold : CopyThreshold))
        {
            reasons.Add("The reply repeats the teacher's message instead of answering it.");
            copied = true;
        }
        else if (own >= CopyThreshold)
        {
            reasons.Add("The reply repeats the learner's own recent reply.");
            copied = true;
        }
        else if (earlier >= CopyThreshold)
        {
            reasons.Add("The reply copies an earlier turn of the conversation.");
            copied = true;
        }

        var novelty = Math.Clamp(1 - (Math.Max(answersYesNo && !copied ? 0 : echo, Math.Max(earlier, own)) - 0.3) / 0.5, 0, 1);
        var dimensions = new Dictionary<string, double>
        {
            [ReviewRubric.Relevance] = Relevance(input, reply, copied, reasons),
            [ReviewRubric.Fluency] = Fluency(reply, reasons),
            [ReviewRubric.Grammar] = Grammar(input.LearnerReply, reply, reasons),
            [ReviewRubric.Novelty] = Math.Round(novelty, 3),
            [ReviewRubric.OnTopic] = OnTopic(input, reply, reasons),
        };

        var score = ReviewRubric.Score(dimensions);
        if (copied)
        {
            score = Math.Min(score, CopyCap);
        }
        else if (reasons.Contains(NotAnswered))
        {
            // However well formed, a reply that leaves the teacher's question unanswered is not a good one.
            score = Math.Min(score, UnansweredCap);
        }

        if (reasons.Count == 0)
        {
            reasons.Add("The reply answers the message in a clear sentence.");
        }

        return new Review(score, ReviewRubric.VerdictFor(score), dimensions, reasons, better, ReviewerName);
    }

    private static double MaxSimilarity(IReadOnlyList<string> reply, IEnumerable<string> lines)
    {
        var best = 0.0;
        foreach (var line in lines)
        {
            // A teacher's turn is often two or three sentences; copying one of them is still a copy.
            foreach (var part in Sentences(line).Append(line))
            {
                best = Math.Max(best, TextOverlap.F1(TextOverlap.Words(part), reply));
            }
        }

        return best;
    }

    private static IEnumerable<string> Sentences(string text) =>
        text.Split(['.', '!', '?'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => s.Length > 0);

    private static double Relevance(ReviewInput input, IReadOnlyList<string> reply, bool copied, List<string> reasons)
    {
        if (copied)
        {
            return 0.1;
        }

        var question = LastQuestion(input.TeacherMessage);
        var asked = LearnerWords.ContentWords(question ?? input.TeacherMessage);
        var said = LearnerWords.ContentWords(string.Join(' ', reply));
        var shared = said.Count(word => asked.Any(key => LearnerWords.IsFormOf(word, key) || LearnerWords.IsFormOf(key, word)));
        var relevance = 0.3 + 0.35 * Math.Min(1, shared / 2.0);
        if (question is not null)
        {
            var answered = IsYesNoQuestion(question)
                ? reply.Any(AnswerWords.Contains) || reply[0] is "i" or "we" or "it" or "my"
                : reply.Count >= TooShortWords && (shared > 0 || reply[0] is "i" or "my" or "we" or "it" or "the");
            relevance += answered ? 0.35 : 0;
            if (!answered)
            {
                reasons.Add(NotAnswered);
            }
        }
        else
        {
            relevance += shared > 0 ? 0.35 : 0.15;
        }

        if (shared == 0 && question is not null)
        {
            relevance -= 0.1;
        }

        return Math.Round(Math.Clamp(relevance, 0, 1), 3);
    }

    private static double Fluency(IReadOnlyList<string> reply, List<string> reasons)
    {
        var fluency = 1.0;
        if (reply.Count < TooShortWords)
        {
            reasons.Add($"The reply is too short ({reply.Count} word{(reply.Count == 1 ? "" : "s")}); a full sentence helps.");
            fluency = 0.35;
        }
        else if (reply.Count > TooLongWords)
        {
            reasons.Add($"The reply is too long ({reply.Count} words) for a beginner's turn.");
            fluency = 0.5;
        }

        if (reply.Count >= 4 && reply.Distinct().Count() < reply.Count * 0.6)
        {
            reasons.Add("The reply repeats the same words over and over.");
            fluency -= 0.4;
        }

        return Math.Round(Math.Clamp(fluency, 0, 1), 3);
    }

    private static double Grammar(string text, IReadOnlyList<string> reply, List<string> reasons)
    {
        var grammar = 1.0;
        if (reply.Zip(reply.Skip(1)).Any(pair => pair.First == pair.Second))
        {
            reasons.Add("The sentence is broken: a word is doubled.");
            grammar -= 0.4;
        }

        if (reply.Count > 1 && DanglingEndings.Contains(reply[^1]))
        {
            reasons.Add($"The sentence is broken: it stops at '{reply[^1]}'.");
            grammar -= 0.4;
        }

        var trimmed = text.Trim();
        if (trimmed.Length > 0 && !".!?".Contains(trimmed[^1]))
        {
            grammar -= 0.1;
        }

        if (trimmed.Length > 0 && char.IsLetter(trimmed[0]) && !char.IsUpper(trimmed[0]))
        {
            grammar -= 0.1;
        }

        return Math.Round(Math.Clamp(grammar, 0, 1), 3);
    }

    private double OnTopic(ReviewInput input, IReadOnlyList<string> reply, List<string> reasons)
    {
        if (string.IsNullOrWhiteSpace(input.Topic))
        {
            return 0.8;
        }

        var script = library.Resolve(input.Topic, []);
        var topicWords = LearnerWords.ContentWords($"{input.Topic} {script.Title} {input.TeacherMessage}")
            .Concat(script.Match)
            .Concat(script.Reactions.Keys)
            .ToList();
        var said = LearnerWords.ContentWords(string.Join(' ', reply));
        if (said.Any(word => topicWords.Any(key => LearnerWords.IsFormOf(word, key) || LearnerWords.IsFormOf(key, word))))
        {
            return 1;
        }

        if (said.Count == 0)
        {
            // "Yes, I do." says nothing about the topic and nothing against it.
            return 0.7;
        }

        reasons.Add($"The reply is off the topic ({input.Topic.Trim()}).");
        return 0.2;
    }

    private static bool IsYesNoQuestion(string? question) =>
        question is not null && YesNoOpeners.Contains(TextOverlap.Words(question).FirstOrDefault() ?? string.Empty)
        && !question.Contains(" or ", StringComparison.OrdinalIgnoreCase);

    internal static string? LastQuestion(string message)
    {
        var end = message.LastIndexOf('?');
        if (end < 0)
        {
            return null;
        }

        var start = message.LastIndexOfAny(['.', '!', '?'], Math.Max(0, end - 1)) + 1;
        if (start > end)
        {
            start = 0;
        }

        return message[start..(end + 1)].Trim();
    }
}

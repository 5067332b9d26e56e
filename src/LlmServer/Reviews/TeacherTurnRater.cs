using LlmServer.Teachers.Embedded;

namespace LlmServer.Reviews;

/// <summary>
/// Rates the teacher's own turn, with no model, so the middleware can tell a good teacher from a poor one: is it on
/// the topic, well formed, suited to a beginner (short sentences, a question to answer), and new rather than a repeat
/// of the teacher's earlier turns. Deterministic, like <see cref="RuleVerifier"/>.
/// </summary>
public sealed class TeacherTurnRater(TopicLibrary library)
{
    public const string OnTopic = "on_topic";
    public const string WellFormed = "well_formed";
    public const string Suited = "suited";
    public const string Novelty = "novelty";

    /// <summary>Off-topic and repeated turns teach least, so those weigh most.</summary>
    public static IReadOnlyDictionary<string, double> Weights { get; } = new Dictionary<string, double>
    {
        [OnTopic] = 0.35,
        [Novelty] = 0.30,
        [WellFormed] = 0.20,
        [Suited] = 0.15,
    };

    public const int MaxWordsPerSentence = 18;
    public const int MaxWords = 60;

    public TeacherTurnRating Rate(ReviewInput input)
    {
        var reasons = new List<string>();
        var words = TextOverlap.Words(input.TeacherMessage);
        if (words.Count == 0)
        {
            return new TeacherTurnRating(0, Weights.Keys.ToDictionary(k => k, _ => 0.0), ["The teacher's turn is empty."]);
        }

        var dimensions = new Dictionary<string, double>
        {
            [OnTopic] = TopicScore(input, reasons),
            [Novelty] = NoveltyScore(input, words, reasons),
            [WellFormed] = FormScore(input.TeacherMessage, words, reasons),
            [Suited] = SuitedScore(input.TeacherMessage, words, reasons),
        };
        var score = Math.Round(Weights.Sum(w => w.Value * dimensions[w.Key]), 3);
        if (reasons.Count == 0)
        {
            reasons.Add("The teacher's turn is on topic, new, and easy to answer.");
        }

        return new TeacherTurnRating(score, dimensions, reasons);
    }

    private double TopicScore(ReviewInput input, List<string> reasons)
    {
        if (string.IsNullOrWhiteSpace(input.Topic))
        {
            return 0.8;
        }

        var script = library.Resolve(input.Topic, []);
        var topicWords = LearnerWords.ContentWords($"{input.Topic} {script.Title}").Concat(script.Match).Concat(script.Reactions.Keys).ToList();
        var said = LearnerWords.ContentWords(input.TeacherMessage);
        if (said.Any(word => topicWords.Any(key => LearnerWords.IsFormOf(word, key) || LearnerWords.IsFormOf(key, word))))
        {
            return 1;
        }

        reasons.Add($"The teacher's turn is off the topic ({input.Topic.Trim()}).");
        return 0.1;
    }

    private static double NoveltyScore(ReviewInput input, IReadOnlyList<string> words, List<string> reasons)
    {
        var earlier = input.History.Where(turn => turn.IsTeacher).Select(turn => TextOverlap.F1(TextOverlap.Words(turn.Content), words)).DefaultIfEmpty(0).Max();
        if (earlier >= RuleVerifier.CopyThreshold)
        {
            reasons.Add("The teacher repeats an earlier turn of its own.");
        }

        return Math.Round(Math.Clamp(1 - (earlier - 0.3) / 0.5, 0, 1), 3);
    }

    private static double FormScore(string text, IReadOnlyList<string> words, List<string> reasons)
    {
        var form = 1.0;
        var trimmed = text.Trim();
        if (!".!?".Contains(trimmed[^1]))
        {
            form -= 0.3;
            reasons.Add("The teacher's turn does not end as a sentence.");
        }

        if (char.IsLetter(trimmed[0]) && !char.IsUpper(trimmed[0]))
        {
            form -= 0.2;
        }

        if (words.Zip(words.Skip(1)).Any(pair => pair.First == pair.Second) || words.Count < 2)
        {
            form -= 0.3;
            reasons.Add("The teacher's turn is broken (a doubled word or a single word).");
        }

        return Math.Round(Math.Clamp(form, 0, 1), 3);
    }

    private static double SuitedScore(string text, IReadOnlyList<string> words, List<string> reasons)
    {
        var sentences = text.Split(['.', '!', '?'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Count(s => s.Length > 0);
        var perSentence = (double)words.Count / Math.Max(1, sentences);
        var suited = 1.0;
        if (perSentence > MaxWordsPerSentence || words.Count > MaxWords)
        {
            suited -= 0.4;
            reasons.Add("The teacher's sentences are long for a beginner.");
        }

        if (!text.Contains('?', StringComparison.Ordinal))
        {
            suited -= 0.3;
            reasons.Add("The teacher's turn asks the learner nothing to answer.");
        }

        return Math.Round(Math.Clamp(suited, 0, 1), 3);
    }
}

/// <summary>The rating of a teacher's turn: <c>score</c> 0..1, its dimensions and why.</summary>
public sealed record TeacherTurnRating(double Score, IReadOnlyDictionary<string, double> Dimensions, IReadOnlyList<string> Reasons);

namespace LlmServer.Teachers.Embedded;

/// <summary>
/// One topic the embedded teacher can talk about, as written in <c>Topics/*.json</c>. Questions and facts are ordered
/// from simple to deeper: the teacher works through them as the conversation goes on.
/// </summary>
public sealed record TopicScript
{
    public required string Name { get; init; }

    /// <summary>How the topic reads in a sentence ("the weather").</summary>
    public required string Title { get; init; }

    /// <summary>Words or phrases in a requested topic that select this script ("weather", "rain", "seasons").</summary>
    public IReadOnlyList<string> Match { get; init; } = [];

    /// <summary>What a model teacher should steer towards on this topic; goes into the system prompt.</summary>
    public string Persona { get; init; } = string.Empty;

    public IReadOnlyList<string> Openers { get; init; } = [];

    public IReadOnlyList<string> Questions { get; init; } = [];

    public IReadOnlyList<string> Facts { get; init; } = [];

    /// <summary>Learner word → lines that pick it up ("rain" → "Rain makes the grass green.").</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Reactions { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Replaces <c>{topic}</c> in every line; the general script uses it for topics no file covers.</summary>
    public TopicScript ForTopic(string topic) => this with
    {
        Title = Fill(Title, topic),
        Persona = Fill(Persona, topic),
        Openers = Openers.Select(line => Fill(line, topic)).ToList(),
        Questions = Questions.Select(line => Fill(line, topic)).ToList(),
        Facts = Facts.Select(line => Fill(line, topic)).ToList(),
    };

    private static string Fill(string line, string topic)
    {
        var filled = line.Replace("{topic}", topic, StringComparison.Ordinal);
        // A line that starts with the placeholder still starts with a capital letter.
        return filled.Length > 0 && line.StartsWith("{topic}", StringComparison.Ordinal)
            ? char.ToUpperInvariant(filled[0]) + filled[1..]
            : filled;
    }
}

/// <summary>Lines that fit every topic, from <c>Topics/_common.json</c>.</summary>
public sealed record CommonScript
{
    /// <summary>Reactions to everyday words a learner may use on any topic ("like", "happy", "hello").</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Reactions { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Templates that repeat a learner's word back, <c>{word}</c> being the word.</summary>
    public IReadOnlyList<string> Echoes { get; init; } = [];

    /// <summary>Said when the learner wrote nothing the teacher can pick up.</summary>
    public IReadOnlyList<string> Encouragements { get; init; } = [];

    /// <summary>Said before a fact when the learner asked a question.</summary>
    public IReadOnlyList<string> QuestionAcknowledgements { get; init; } = [];

    /// <summary>Said now and then after the learner has spoken, to keep them going.</summary>
    public IReadOnlyList<string> Praise { get; init; } = [];
}

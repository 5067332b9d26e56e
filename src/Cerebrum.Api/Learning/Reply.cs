namespace Cerebrum.Api.Learning;

/// <summary>How a reply was made.</summary>
public static class ReplyStrategies
{
    public const string Echo = "echo";
    public const string Retrieval = "retrieval";
    public const string Recombination = "recombination";
    public const string Substitution = "substitution";
    public const string Synthesis = "synthesis";
    public const string Correction = "correction";
}

/// <summary>A candidate reply with the scores it was ranked by: the similarity of the stimulus it answered to the
/// message, its agreement with the other candidates, novelty (0 when observed verbatim), feedback and the total.</summary>
public sealed record Reply(
    IReadOnlyList<string> Tokens,
    string Strategy,
    double Similarity,
    double Agreement,
    double Novelty,
    double Feedback,
    double Score)
{
    /// <summary>The text as it was said, when the reply is an observed turn or a correction (keeps its casing).</summary>
    public string? Original { get; init; }

    public string Text => Original ?? Tokenizer.Detokenize(Tokens);

    public bool Verbatim => Novelty == 0;
}

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

/// <summary>A candidate reply with the scores it was ranked by.</summary>
public sealed record Reply(
    IReadOnlyList<string> Tokens,
    string Strategy,
    double Relevance,
    double Fluency,
    double Novelty,
    double Feedback,
    double Score)
{
    public string Text => Tokenizer.Detokenize(Tokens);

    public bool Verbatim => Novelty == 0;
}

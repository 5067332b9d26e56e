namespace LlmServer.Reviews;

/// <summary>
/// The dimensions every review scores (0..1 each), their weights in the overall score, and where the verdicts lie.
/// One place, so the rule-based verifier, the LLM judge's schema and the docs agree.
/// </summary>
public static class ReviewRubric
{
    public const string Relevance = "relevance";
    public const string Fluency = "fluency";
    public const string Grammar = "grammar";
    public const string Novelty = "novelty";
    public const string OnTopic = "on_topic";

    public const string Good = "good";
    public const string Fair = "fair";
    public const string Poor = "poor";

    /// <summary>Answering the message matters most; a fluent reply that ignores it is still a poor reply.</summary>
    public static IReadOnlyDictionary<string, double> Weights { get; } = new Dictionary<string, double>
    {
        [Relevance] = 0.30,
        [Fluency] = 0.15,
        [Grammar] = 0.20,
        [Novelty] = 0.20,
        [OnTopic] = 0.15,
    };

    public static IReadOnlyList<string> Dimensions { get; } = [.. Weights.Keys];

    public static IReadOnlyList<string> Verdicts { get; } = [Good, Fair, Poor];

    public const double GoodFrom = 0.7;
    public const double FairFrom = 0.4;

    /// <summary>The weighted mean of the dimensions, rounded to 3 places.</summary>
    public static double Score(IReadOnlyDictionary<string, double> dimensions) =>
        Math.Round(Weights.Sum(weight => weight.Value * Math.Clamp(dimensions.GetValueOrDefault(weight.Key), 0, 1)), 3);

    public static string VerdictFor(double score) => score >= GoodFrom ? Good : score >= FairFrom ? Fair : Poor;
}

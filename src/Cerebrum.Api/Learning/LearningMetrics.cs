using System.Text.Json.Serialization;

namespace Cerebrum.Api.Learning;

/// <summary>The learning metrics in <c>GET /api/status</c> (see docs/learning.md for how each is measured).</summary>
public sealed record LearningMetrics(
    double? HeldOutPerplexity,
    int HeldOutSentences,
    long HeldOutEvaluated,
    [property: JsonPropertyName("distinct_1")] double Distinct1,
    [property: JsonPropertyName("distinct_2")] double Distinct2,
    double NonVerbatimShare,
    double MessageCopyShare,
    double EarlierTurnCopyShare,
    double TopReplyShare,
    double? MeanFeedbackScore,
    int RepliesMeasured,
    int NgramOrder,
    long NgramTypes,
    long Tokens);

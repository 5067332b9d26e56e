using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Apis;

public sealed record ChatRequest(string? Message);

public sealed record ChatResponse(string Response, string Phase, long Observations, string ExchangeId);

public sealed record StatusResponse(long Observations, int Vocabulary, string Phase, double UptimeSeconds, LearningMetrics Metrics, FeedbackSummary Feedback);

public sealed record FeedbackRequest(string? ExchangeId, double? Score, bool? Approved, string? Correction);

/// <summary>The exchange's feedback after the request (what it holds now) and what the request did:
/// <c>recorded</c> (first feedback), <c>replaced</c> (changed it) or <c>unchanged</c> (a repeat).</summary>
public sealed record FeedbackResponse(string ExchangeId, double? Score, string? Correction, string Outcome);

using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Apis;

public sealed record ChatRequest(string? Message);

public sealed record ChatResponse(string Response, string Phase, long Observations, string ExchangeId);

public sealed record StatusResponse(long Observations, int Vocabulary, string Phase, double UptimeSeconds, LearningMetrics Metrics);

public sealed record FeedbackRequest(string? ExchangeId, double? Score, bool? Approved);

public sealed record FeedbackResponse(string ExchangeId, double Score);

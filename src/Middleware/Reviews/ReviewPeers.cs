using Refit;

namespace Middleware.Reviews;

/// <summary>LlmServer's <c>POST /api/review</c>, as far as the middleware uses it.</summary>
public interface ILlmReviewApi
{
    [Post("/api/review")]
    Task<LlmReviewResponse> ReviewAsync([Body] LlmReviewRequest request, CancellationToken cancellationToken);
}

/// <param name="ExchangeId">Not part of the HTTP body (LlmServer ignores it there); the bus request carries it for correlation in logs.</param>
public sealed record LlmReviewRequest(string? Topic, string TeacherMessage, string LearnerReply, IReadOnlyList<LlmReviewTurn> History, string? Reviewer, string? ExchangeId = null);

public sealed record LlmReviewTurn(string Role, string Content);

public sealed record LlmReviewResponse(
    double Score,
    string Verdict,
    Dictionary<string, double>? Dimensions,
    List<string>? Reasons,
    string? BetterReply,
    string? Reviewer,
    bool Fallback,
    string? FallbackReason);

/// <summary>Cerebrum's <c>POST /api/feedback</c>: idempotent per exchange, the latest feedback counts.</summary>
public interface ICerebrumFeedbackApi
{
    [Post("/api/feedback")]
    Task<IApiResponse> SendAsync([Body] CerebrumFeedback feedback, CancellationToken cancellationToken);
}

/// <summary><paramref name="Score"/> on Cerebrum's scale, 0 (poor) to 1 (good).</summary>
public sealed record CerebrumFeedback(string ExchangeId, double Score, string? Correction);

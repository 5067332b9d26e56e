using LlmServer.Apis;
using LlmServer.Teachers;

namespace LlmServer.Reviews;

/// <summary><c>POST /api/review</c> body. Nullable throughout so that a missing field is a validation message, not a 500.</summary>
/// <param name="Reviewer">Optional: <c>rules</c> or one provider, instead of <c>Reviewer:Chain</c>.</param>
public sealed record ReviewRequest(string? Topic, string? TeacherMessage, string? LearnerReply, IReadOnlyList<ChatTurnDto?>? History, string? Reviewer)
{
    /// <summary>Only for a request <see cref="ReviewRequestValidator"/> found no fault in.</summary>
    public ReviewInput ToInput() => new(
        string.IsNullOrWhiteSpace(Topic) ? null : Topic.Trim(),
        TeacherMessage!,
        LearnerReply!,
        (History ?? []).Select(turn => new TeacherTurn(turn!.Role!.ToLowerInvariant(), turn.Content!)).ToList());
}

/// <summary>The review: <c>score</c> 0..1, a verdict, the rubric's dimensions, why, and the reply the learner could have given.</summary>
/// <param name="Fallback">True when a judge was asked but the rules answered (see <paramref name="FallbackReason"/>).</param>
public sealed record ReviewReply(
    double Score,
    string Verdict,
    IReadOnlyDictionary<string, double> Dimensions,
    IReadOnlyList<string> Reasons,
    string BetterReply,
    string Reviewer,
    bool Fallback,
    string? FallbackReason,
    long DurationMs)
{
    public static ReviewReply From(Review review) => new(
        review.Score, review.Verdict, review.Dimensions, review.Reasons, review.BetterReply, review.Reviewer,
        review.FallbackReason is not null, review.FallbackReason, review.DurationMs);
}

namespace Middleware.Reviews;

/// <summary>
/// The <c>"review"</c> of an exchange in the log, the session file, the SSE stream and the review endpoints.
/// <see cref="Status"/> is <c>reviewed</c>, or <c>unreviewed</c> when the reviewer could not be reached (see <see cref="Error"/>).
/// </summary>
public sealed record ExchangeReviewView(
    string Status,
    string Source,
    double? Score,
    string? Verdict,
    IReadOnlyDictionary<string, double>? Dimensions,
    IReadOnlyList<string>? Reasons,
    string? BetterReply,
    string? Reviewer,
    string? FallbackReason,
    double? Reward,
    double? NormalizedReward,
    HumanVerdictView? Human,
    FeedbackView Feedback,
    string? Error,
    DateTimeOffset ReviewedAt)
{
    public const string Reviewed = "reviewed";
    public const string Unreviewed = "unreviewed";

    /// <summary>Who decided: <c>teacher</c> (LlmServer's chain), <c>rules</c> (its rule-based verifier) or <c>human</c>.</summary>
    public const string FromTeacher = "teacher";
    public const string FromRules = "rules";
    public const string FromHuman = "human";
}

public sealed record HumanVerdictView(bool Approved, string? Reason, string? Correction, DateTimeOffset At);

/// <summary>Whether Cerebrum has the latest verdict: <c>pending</c>, <c>delivered</c>, <c>rejected</c> (a 4xx) or <c>none</c>.</summary>
public sealed record FeedbackView(string State, double? Score, string? Correction, DateTimeOffset? DeliveredAt, string? Error)
{
    public const string None = "none";
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Rejected = "rejected";
}

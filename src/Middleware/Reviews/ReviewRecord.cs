namespace Middleware.Reviews;

/// <summary>One exchange's review as stored in <c>exchange_reviews</c>, with the exchange's own text for exports.</summary>
public sealed record ReviewRecord(
    string ExchangeId,
    Guid SessionId,
    int Sequence,
    string Topic,
    string Phase,
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
    double? EmaMean,
    double? EmaVariance,
    string? Error,
    DateTimeOffset ReviewedAt,
    bool? HumanApproved,
    string? HumanReason,
    string? HumanCorrection,
    DateTimeOffset? HumanAt,
    int FeedbackVersion,
    int DeliveredVersion,
    double? FeedbackScore,
    string? FeedbackCorrection,
    DateTimeOffset? DeliveredAt,
    string? FeedbackError)
{
    public string? Teacher { get; init; }

    public string? Learner { get; init; }

    public bool FeedbackPending => FeedbackVersion > DeliveredVersion;

    /// <summary>A person's verdict outranks the teacher's: approved by a person, or without one, a good teacher verdict.</summary>
    public bool? Approved => HumanApproved ?? (Status == ExchangeReviewView.Reviewed ? Verdict == "good" : null);

    /// <summary>The score that counts, 0..1: a person's approval is 1, a denial 0; otherwise the teacher's.</summary>
    public double? EffectiveScore => HumanApproved is { } approved ? (approved ? 1 : 0) : Score;

    /// <summary>The reply the learner should have given: a person's correction first, then the teacher's better reply.</summary>
    public string? Correction => string.IsNullOrWhiteSpace(HumanCorrection) ? BetterReply : HumanCorrection;

    public ExchangeReviewView ToView() => new(
        Status,
        HumanApproved is null ? Source : ExchangeReviewView.FromHuman,
        Score,
        Verdict,
        Dimensions,
        Reasons,
        BetterReply,
        Reviewer,
        FallbackReason,
        Reward,
        NormalizedReward,
        HumanApproved is { } approved ? new HumanVerdictView(approved, HumanReason, HumanCorrection, HumanAt ?? ReviewedAt) : null,
        new FeedbackView(
            FeedbackVersion == 0 ? FeedbackView.None
                : FeedbackPending ? FeedbackView.Pending
                : FeedbackError is null ? FeedbackView.Delivered : FeedbackView.Rejected,
            FeedbackScore,
            FeedbackCorrection,
            DeliveredAt,
            FeedbackError),
        Error,
        ReviewedAt);
}

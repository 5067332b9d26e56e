namespace Middleware.Messaging.Contracts;

/// <summary>The rules' rating of the teacher's own turn (on topic, well formed, suited to the learner, not a repeat),
/// part of <see cref="LearnerReplyReviewed"/>: what <c>teacher_turn</c> is in the answer of <c>POST /api/review</c>.</summary>
public sealed record TeacherTurnReview
{
    public double Score { get; init; }

    public IReadOnlyDictionary<string, double> Dimensions { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<string> Reasons { get; init; } = [];
}

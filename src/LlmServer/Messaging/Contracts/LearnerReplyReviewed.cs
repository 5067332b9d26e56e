using MassTransit;

namespace LlmServer.Messaging.Contracts;

/// <summary>The review of a learner reply, as <c>POST /api/review</c> answers it.</summary>
[MessageUrn("bridge:LearnerReplyReviewed")]
public sealed record LearnerReplyReviewed
{
    public string ExchangeId { get; init; } = "";

    public double Score { get; init; }

    public string Verdict { get; init; } = "";

    public IReadOnlyDictionary<string, double> Dimensions { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<string> Reasons { get; init; } = [];

    public string BetterReply { get; init; } = "";

    public string Reviewer { get; init; } = "";

    public bool Fallback { get; init; }

    public string? FallbackReason { get; init; }

    public long DurationMs { get; init; }

    /// <summary>The rating of the teacher's turn, for routing among teachers. Optional on the wire: a reply from a
    /// service that does not rate teacher turns has none, and the reward is built from the learner's review alone.</summary>
    public TeacherTurnReview? TeacherTurn { get; init; }
}

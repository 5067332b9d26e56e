using MassTransit;

// The middleware's side of the review contracts as another service declares them: other namespace, same URNs.
namespace LlmServer.Tests.Messaging.ReviewRequesterCopy;

[MessageUrn("bridge:ChatTurn")]
public sealed record ChatTurn(string Role, string Content);

[MessageUrn("bridge:ReviewLearnerReply")]
public sealed record ReviewLearnerReply(string ExchangeId, string? Topic, string TeacherMessage, string LearnerReply, IReadOnlyList<ChatTurn> History, string? Reviewer);

[MessageUrn("bridge:LearnerReplyReviewed")]
public sealed record LearnerReplyReviewed(
    string ExchangeId, double Score, string Verdict, IReadOnlyDictionary<string, double> Dimensions, IReadOnlyList<string> Reasons,
    string BetterReply, string Reviewer, bool Fallback, string? FallbackReason, long DurationMs);

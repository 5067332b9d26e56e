using MassTransit;

namespace Middleware.Messaging.Contracts;

/// <summary>A request to review one learner reply; answered with <see cref="LearnerReplyReviewed"/>.</summary>
[MessageUrn("bridge:ReviewLearnerReply")]
public sealed record ReviewLearnerReply
{
    public string ExchangeId { get; init; } = "";

    public string? Topic { get; init; }

    public string TeacherMessage { get; init; } = "";

    public string LearnerReply { get; init; } = "";

    public IReadOnlyList<ChatTurn> History { get; init; } = [];

    /// <summary><c>rules</c> or one provider instead of the reviewer chain; null for the chain.</summary>
    public string? Reviewer { get; init; }
}

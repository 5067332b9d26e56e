using LlmServer.Apis;
using LlmServer.Messaging.Contracts;
using LlmServer.Reviews;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LlmServer.Messaging;

/// <summary>Answers a <see cref="ReviewLearnerReply"/> with the reviewer chain and the rating of the teacher's turn,
/// exactly as <c>POST /api/review</c> does.</summary>
public sealed class ReviewLearnerReplyConsumer(ReviewerChain reviewers, TeacherTurnRater teacherTurns, ILogger<ReviewLearnerReplyConsumer> logger) : IConsumer<ReviewLearnerReply>
{
    public async Task Consume(ConsumeContext<ReviewLearnerReply> context)
    {
        var message = context.Message;
        var request = new ReviewRequest(
            message.Topic,
            message.TeacherMessage,
            message.LearnerReply,
            (message.History ?? []).OfType<ChatTurn>().Select(t => (ChatTurnDto?)new ChatTurnDto(t.Role, t.Content)).ToList(),
            message.Reviewer);

        // The HTTP API's limits; a request that breaks them can never succeed, so it faults without retries.
        var errors = ReviewRequestValidator.Validate(request);
        if (errors.Count > 0)
        {
            throw new InvalidReviewRequestException(string.Join(" ", errors.SelectMany(e => e.Value.Select(text => $"{e.Key}: {text}"))));
        }

        var input = request.ToInput();
        var review = await reviewers.ReviewAsync(input, request.Reviewer, context.CancellationToken);
        var teacherTurn = teacherTurns.Rate(input);
        logger.LogInformation("Exchange {ExchangeId} reviewed by {Reviewer}: {Score} ({Verdict}) in {ElapsedMs} ms",
            message.ExchangeId, review.Reviewer, review.Score, review.Verdict, review.DurationMs);
        await context.RespondAsync(new LearnerReplyReviewed
        {
            ExchangeId = message.ExchangeId,
            Score = review.Score,
            Verdict = review.Verdict,
            Dimensions = review.Dimensions,
            Reasons = review.Reasons,
            BetterReply = review.BetterReply,
            Reviewer = review.Reviewer,
            Fallback = review.FallbackReason is not null,
            FallbackReason = review.FallbackReason,
            DurationMs = review.DurationMs,
            TeacherTurn = new TeacherTurnReview { Score = teacherTurn.Score, Dimensions = teacherTurn.Dimensions, Reasons = teacherTurn.Reasons },
        });
    }
}

/// <summary>A review request that breaks the contract's limits; retrying it cannot help.</summary>
public sealed class InvalidReviewRequestException(string message) : ArgumentException(message);

/// <summary>Reviews have their own queue, so a slow judge never holds up teacher turns; replicas compete for it.</summary>
public sealed class ReviewLearnerReplyConsumerDefinition : ConsumerDefinition<ReviewLearnerReplyConsumer>
{
    public ReviewLearnerReplyConsumerDefinition(IOptions<TeacherMessagingOptions> options)
    {
        EndpointName = BrokerNames.ReviewsQueue;
        ConcurrentMessageLimit = options.Value.ConcurrentTurns;
    }
}

using MassTransit;
using Microsoft.Extensions.Options;
using Middleware.Messaging;
using Middleware.Messaging.Contracts;

namespace Middleware.Reviews;

/// <summary>Reviews as request/response over RabbitMQ: <see cref="ReviewLearnerReply"/> to LlmServer's review queue,
/// <see cref="LearnerReplyReviewed"/> back. A timeout or fault is transient to the review step, which retries.</summary>
public sealed class BusReviewClient(IClientFactory clientFactory, IOptions<ReviewOptions> options) : IReviewClient
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);

    private readonly IRequestClient<ReviewLearnerReply> _client = clientFactory.CreateRequestClient<ReviewLearnerReply>(
        new Uri($"queue:{BrokerNames.ReviewsQueue}"),
        RequestTimeout.After(s: (int)Math.Ceiling(options.Value.TimeoutSeconds)));

    public async Task<LlmReviewResponse> ReviewAsync(LlmReviewRequest request, CancellationToken cancellationToken)
    {
        var message = new ReviewLearnerReply
        {
            ExchangeId = request.ExchangeId ?? string.Empty,
            Topic = request.Topic,
            TeacherMessage = request.TeacherMessage,
            LearnerReply = request.LearnerReply,
            History = [.. request.History.Select(t => new ChatTurn { Role = t.Role, Content = t.Content })],
            Reviewer = request.Reviewer,
        };

        // A review nobody took in time expires in the queue rather than being worked through after the step gave up.
        var response = await _client.GetResponse<LearnerReplyReviewed>(message, r => r.TimeToLive = _timeout, cancellationToken);
        var review = response.Message;
        return new LlmReviewResponse(review.Score, review.Verdict, new Dictionary<string, double>(review.Dimensions), [.. review.Reasons],
            review.BetterReply, review.Reviewer, review.Fallback, review.FallbackReason,
            review.TeacherTurn is { } turn ? new LlmTeacherTurnRating(turn.Score,
                turn.Dimensions is null ? null : new Dictionary<string, double>(turn.Dimensions), turn.Reasons is null ? null : [.. turn.Reasons]) : null);
    }
}

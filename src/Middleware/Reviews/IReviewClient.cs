namespace Middleware.Reviews;

/// <summary>Asks the teacher's side for a review: over RabbitMQ when a broker is configured, else over HTTP.</summary>
public interface IReviewClient
{
    Task<LlmReviewResponse> ReviewAsync(LlmReviewRequest request, CancellationToken cancellationToken);
}

public sealed class HttpReviewClient(ILlmReviewApi api) : IReviewClient
{
    public Task<LlmReviewResponse> ReviewAsync(LlmReviewRequest request, CancellationToken cancellationToken) => api.ReviewAsync(request, cancellationToken);
}

using LlmServer.Reviews;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmServer.Apis;

public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").WithTags("Reviewer").MapPost("/review", ReviewAsync);
        return app;
    }

    public static async Task<Results<Ok<ReviewReply>, ValidationProblem>> ReviewAsync(
        ReviewRequest request, ReviewerChain reviewers, CancellationToken cancellationToken)
    {
        var errors = ReviewRequestValidator.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The review request is not valid");
        }

        var review = await reviewers.ReviewAsync(request.ToInput(), request.Reviewer, cancellationToken);
        return TypedResults.Ok(ReviewReply.From(review));
    }
}

using Cerebrum.Api.Infrastructure;
using Cerebrum.Api.Learning;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cerebrum.Api.Apis;

public static class CerebrumApi
{
    public const int MaxMessageLength = 4000;
    public const int MaxKeyLength = 200;
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapCerebrumApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Cerebrum");
        api.MapPost("/chat", ChatAsync);
        api.MapGet("/status", GetStatusAsync);
        api.MapPost("/feedback", FeedbackAsync);
        return app;
    }

    public static async Task<Results<Ok<ChatResponse>, ValidationProblem>> ChatAsync(
        ChatRequest request, HttpRequest httpRequest, Learner learner, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Message))
        {
            errors["message"] = ["The message is required and must contain text."];
        }
        else if (request.Message.Length > MaxMessageLength)
        {
            errors["message"] = [$"The message must be at most {MaxMessageLength} characters (it has {request.Message.Length})."];
        }

        string? key = null;
        if (httpRequest.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
        {
            key = values.Count == 1 ? values[0] : null;
            if (values.Count != 1 || string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength)
            {
                errors["idempotency_key"] = [$"The Idempotency-Key header must be one value of 1 to {MaxKeyLength} characters."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await learner.ExchangeAsync(request.Message!, key, cancellationToken);
        return TypedResults.Ok(new ChatResponse(outcome.Response, outcome.Phase, outcome.Observations, outcome.ExchangeId));
    }

    public static async Task<Ok<StatusResponse>> GetStatusAsync(Learner learner, Uptime uptime, CancellationToken cancellationToken)
    {
        var status = await learner.StatusAsync(cancellationToken);
        return TypedResults.Ok(new StatusResponse(status.Observations, status.Vocabulary, status.Phase.ToWire(),
            Math.Round(uptime.Seconds, 3), status.Metrics, status.Feedback));
    }

    /// <summary>How a reply did (score 0..1 or approved) and/or the reply it should have been (correction). The latest
    /// feedback for an exchange replaces what it gives; repeating it changes nothing (see <see cref="Learner.FeedbackAsync"/>).</summary>
    public static async Task<Results<Ok<FeedbackResponse>, ValidationProblem, ProblemHttpResult>> FeedbackAsync(
        FeedbackRequest request, Learner learner, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.ExchangeId) || request.ExchangeId.Length > MaxKeyLength)
        {
            errors["exchange_id"] = [$"The exchange_id is required (1 to {MaxKeyLength} characters)."];
        }

        if (request.Score is not null && request.Approved is not null)
        {
            errors["score"] = ["Give score (0.0 to 1.0) or approved (true/false), not both."];
        }
        else if (request.Score is { } s && (!double.IsFinite(s) || s < 0 || s > 1))
        {
            errors["score"] = ["The score must be between 0.0 (poor) and 1.0 (good)."];
        }
        else if (request.Score is null && request.Approved is null && request.Correction is null)
        {
            errors["score"] = ["Give at least one of score (0.0 to 1.0), approved (true/false) or correction (the reply it should have given)."];
        }

        if (request.Correction is { } correction && (string.IsNullOrWhiteSpace(correction) || correction.Length > MaxMessageLength
            || Tokenizer.Tokenize(correction).All(Tokenizer.IsPunctuation)))
        {
            errors["correction"] = [$"The correction must contain words and be at most {MaxMessageLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var score = request.Score ?? (request.Approved is { } approved ? (approved ? 1.0 : 0.0) : null);
        var outcome = await learner.FeedbackAsync(request.ExchangeId!, score, request.Correction?.Trim(), cancellationToken);
        if (outcome is null)
        {
            return TypedResults.Problem(
                title: "Unknown exchange",
                detail: $"No exchange with id '{request.ExchangeId}' has been observed.",
                statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(new FeedbackResponse(outcome.Feedback.ExchangeId, outcome.Feedback.Score, outcome.Feedback.Correction, outcome.Outcome));
    }
}

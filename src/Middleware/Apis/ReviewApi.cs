using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Middleware.Infrastructure;
using Middleware.Reviews;

namespace Middleware.Apis;

/// <summary>A person's approve/deny of an exchange, and the summary of all reviews.</summary>
public static class ReviewApi
{
    public const int MaxReasonLength = 1000;
    public const int MaxCorrectionLength = 4000;

    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/training").WithTags("Reviews");
        api.MapPost("/exchanges/{exchangeId}/review", ReviewExchangeAsync);
        api.MapGet("/reviews", SummaryAsync);
        return app;
    }

    public static async Task<Results<Ok<ExchangeReviewView>, ValidationProblem, ProblemHttpResult>> ReviewExchangeAsync(
        string exchangeId, HumanReviewRequest request, HumanReviews reviews, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TryParseExchangeId(exchangeId, out var sessionId, out var sequence))
        {
            errors["exchange_id"] = [$"'{Truncate(exchangeId)}' is not an exchange id: '<session id>:<sequence>', e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301:7."];
        }

        if (request.Approved is null)
        {
            errors["approved"] = ["'approved' is required: true to approve the learner's reply, false to deny it."];
        }

        if (request.Reason is { Length: > MaxReasonLength })
        {
            errors["reason"] = [$"'reason' must be at most {MaxReasonLength} characters."];
        }

        if (request.Correction is not null && (string.IsNullOrWhiteSpace(request.Correction) || request.Correction.Length > MaxCorrectionLength))
        {
            errors["correction"] = [$"'correction' must be 1 to {MaxCorrectionLength} characters of text, or left out."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The review is not valid");
        }

        var stored = await reviews.DecideAsync(
            sessionId, sequence, request.Approved!.Value, Blank(request.Reason), Blank(request.Correction), cancellationToken);
        return stored is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Exchange not found",
                detail: $"There is no completed exchange {exchangeId}.")
            : TypedResults.Ok(stored.ToView());
    }

    public static async Task<Results<Ok<ReviewSummary>, ValidationProblem, ProblemHttpResult>> SummaryAsync(
        [FromQuery(Name = "session_id")] string? sessionId, ReviewStore reviews, SessionStore sessions, CancellationToken cancellationToken)
    {
        var (id, problem) = await ParseSessionAsync(sessionId, sessions, cancellationToken);
        if (problem is not null)
        {
            return problem switch { ValidationProblem v => v, ProblemHttpResult p => p, _ => throw new InvalidOperationException() };
        }

        return TypedResults.Ok(ReviewSummary.From(id, await reviews.ListAsync(id, cancellationToken)));
    }

    /// <summary>A missing id is "all sessions"; a malformed one a 400, an unknown one a 404.</summary>
    internal static async Task<(Guid? Id, IResult? Problem)> ParseSessionAsync(string? sessionId, SessionStore sessions, CancellationToken cancellationToken)
    {
        if (sessionId is null)
        {
            return (null, null);
        }

        if (!Guid.TryParse(sessionId, out var id))
        {
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["session_id"] = [$"'{Truncate(sessionId)}' is not a session id (a GUID)."] },
                title: "Invalid session id"));
        }

        return await sessions.GetSessionAsync(id, cancellationToken) is null
            ? (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"There is no training session {id}."))
            : (id, null);
    }

    public static bool TryParseExchangeId(string value, out Guid sessionId, out int sequence)
    {
        sessionId = Guid.Empty;
        sequence = 0;
        var colon = value.LastIndexOf(':');
        return colon > 0
            && Guid.TryParse(value.AsSpan(0, colon), out sessionId)
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            && sequence > 0;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal static string Truncate(string value) => value.Length > 64 ? value[..64] + "…" : value;
}

/// <summary><c>POST /api/training/exchanges/{exchange_id}/review</c> body.</summary>
public sealed record HumanReviewRequest(bool? Approved, string? Reason, string? Correction);

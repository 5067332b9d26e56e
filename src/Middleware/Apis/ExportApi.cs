using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Middleware.Infrastructure;
using Middleware.Reviews;

namespace Middleware.Apis;

/// <summary><c>GET /api/training/export?format=sft|dpo|modelfile</c>: the reviews as training data, streamed.</summary>
public static class ExportApi
{
    public const int MaxModelfileMessages = 200;

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/training").WithTags("Reviews").MapGet("/export", ExportAsync);
        return app;
    }

    public static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        [FromQuery(Name = "format")] string? format,
        [FromQuery(Name = "session_id")] string? sessionId,
        [FromQuery(Name = "min_score")] string? minScore,
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "from")] string? from,
        ReviewExport export,
        SessionStore sessions,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var chosen = format?.Trim().ToLowerInvariant();
        if (chosen is null || !ReviewExport.Formats.Contains(chosen))
        {
            errors["format"] = [$"'format' must be one of {string.Join(", ", ReviewExport.Formats)}."];
        }

        var threshold = 0.0;
        if (minScore is not null && (!double.TryParse(minScore, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || double.IsNaN(threshold) || threshold is < 0 or > 1))
        {
            errors["min_score"] = ["'min_score' must be a number from 0 to 1."];
        }

        var messages = ReviewExport.DefaultModelfileMessages;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out messages) || messages is < 1 or > MaxModelfileMessages))
        {
            errors["limit"] = [$"'limit' must be a whole number from 1 to {MaxModelfileMessages}."];
        }

        if (from is not null && (string.IsNullOrWhiteSpace(from) || from.Length > 200 || from.Any(char.IsWhiteSpace)))
        {
            errors["from"] = ["'from' must be an Ollama model name such as gemma3:1b, without spaces."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The export request is not valid");
        }

        var (id, problem) = await ReviewApi.ParseSessionAsync(sessionId, sessions, cancellationToken);
        if (problem is not null)
        {
            return problem switch { ValidationProblem v => v, ProblemHttpResult p => p, _ => throw new InvalidOperationException() };
        }

        if (chosen == ReviewExport.Modelfile)
        {
            var text = await export.ModelfileAsync(id, threshold, from ?? ReviewExport.DefaultBaseModel, messages, cancellationToken);
            return TypedResults.Stream(
                async stream => await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken),
                "text/plain; charset=utf-8", "Modelfile");
        }

        var lines = chosen == ReviewExport.Sft ? export.SftAsync(id, threshold, cancellationToken) : export.DpoAsync(id, cancellationToken);
        return TypedResults.Stream(async stream =>
        {
            await foreach (var line in lines)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
            }
        }, "application/jsonl; charset=utf-8", chosen == ReviewExport.Sft ? "training_data.jsonl" : "preference_data.jsonl");
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Middleware.Infrastructure;
using Middleware.Routing;

namespace Middleware.Apis;

/// <summary><c>GET /api/training/teachers</c>: the per-teacher record, over all sessions or one.</summary>
public static class TeachersApi
{
    public static IEndpointRouteBuilder MapTeachersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/training").WithTags("Teachers").MapGet("/teachers", GetTeachersAsync);
        return app;
    }

    public static async Task<Results<Ok<TeacherRecordResponse>, ValidationProblem, ProblemHttpResult>> GetTeachersAsync(
        [FromQuery(Name = "session_id")] string? sessionId,
        TeacherRecordStore teachers,
        SessionStore sessions,
        SessionPlans plans,
        IOptions<RoutingOptions> options,
        CancellationToken cancellationToken)
    {
        var (id, problem) = await ReviewApi.ParseSessionAsync(sessionId, sessions, cancellationToken);
        if (problem is not null)
        {
            return problem switch { ValidationProblem v => v, ProblemHttpResult p => p, _ => throw new InvalidOperationException() };
        }

        var pool = id is { } session
            ? (await plans.GetAsync(session, cancellationToken)).Teachers.Select(t => t.ToString())
            : options.Value.Teachers.Select(t => TeacherName.Parse(t).ToString());
        return TypedResults.Ok(TeacherRecordResponse.From(id, pool, await teachers.ListAsync(id, cancellationToken), options.Value.RecentTurns));
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Apis;

public static class TrainingApi
{
    private static readonly JsonSerializerOptions RequestJson = WireJson.Create();

    /// <summary>A start request is a handful of fields and at most 100 topics of 200 characters.</summary>
    private const int MaxBodyChars = 64 * 1024;

    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/training")
            .WithTags("Training");

        api.MapPost("/start", StartAsync);
        api.MapPost("/stop", StopAsync);
        api.MapGet("/status", GetStatusAsync);
        api.MapGet("/log", GetLogAsync);
        api.MapGet("/sessions", ListSessionsAsync);
        api.MapGet("/sessions/{sessionId}", GetSessionAsync);
        api.MapGet("/events", TrainingEventsApi.Stream);
        return app;
    }

    /// <summary>The body is read by hand so that it is optional whatever the Content-Type (the seed's curl sends JSON;
    /// an empty POST means "all defaults").</summary>
    public static async Task<Results<Accepted<SessionView>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request,
        SessionSupervisor supervisor,
        IOptions<TrainingOptions> training,
        CancellationToken cancellationToken)
    {
        StartTrainingRequest? body;
        try
        {
            body = await ReadOptionalBodyAsync(request, cancellationToken);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid request",
                detail: $"The request body is not valid JSON for this endpoint{(ex.Path is { } path ? $" at '{path}'" : "")}: {FirstSentence(ex.Message)}");
        }

        var (config, errors) = StartTrainingValidator.Validate(body ?? new StartTrainingRequest(), training.Value);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The training request is not valid");
        }

        var session = await supervisor.StartSessionAsync(config!, cancellationToken);
        return TypedResults.Accepted($"/api/training/sessions/{session.SessionId}", SessionView.From(session));
    }

    public static async Task<Results<Ok<StopTrainingResponse>, ProblemHttpResult, ValidationProblem>> StopAsync(
        [FromQuery(Name = "session_id")] string? sessionId,
        SessionSupervisor supervisor,
        CancellationToken cancellationToken)
    {
        if (sessionId is null)
        {
            var stopped = await supervisor.StopAllAsync(cancellationToken);
            return TypedResults.Ok(new StopTrainingResponse(stopped,
                stopped.Count == 0 ? "No session was running." : $"Stopped {stopped.Count} session(s)."));
        }

        if (!TryParseSessionId(sessionId, out var id, out var invalid))
        {
            return invalid;
        }

        return await supervisor.StopSessionAsync(id, cancellationToken) switch
        {
            null => SessionNotFound(id),
            true => TypedResults.Ok(new StopTrainingResponse([id], $"Stopped session {id}.")),
            false => TypedResults.Ok(new StopTrainingResponse([], $"Session {id} had already ended.")),
        };
    }

    public static async Task<Ok<TrainingStatusResponse>> GetStatusAsync(SessionStore store, CancellationToken cancellationToken)
    {
        var active = await store.ListActiveSessionsAsync(cancellationToken);
        var latest = await store.GetLatestSessionAsync(cancellationToken);
        var sessions = (active.Count > 0 ? active : latest is null ? [] : [latest]).Select(SessionView.From).ToList();
        return TypedResults.Ok(new TrainingStatusResponse(
            Running: active.Count > 0,
            ActiveSessions: active.Count,
            SessionId: latest?.SessionId,
            Status: latest?.Status.ToWire() ?? "idle",
            Exchanges: latest?.Exchanges ?? 0,
            MaxExchanges: latest?.Config.MaxExchanges,
            Topic: latest?.CurrentTopic,
            StartedAt: latest?.StartedAt,
            EndedAt: latest?.EndedAt,
            EndReason: latest?.EndReason,
            LastError: latest?.LastError,
            NextRetryAt: latest?.NextRetryAt,
            Sessions: sessions));
    }

    /// <summary>The session log document with at most one page of its exchanges (<c>?after=&amp;limit=</c>).</summary>
    public static async Task<Results<Ok<SessionLogPage>, ProblemHttpResult, ValidationProblem>> GetLogAsync(
        [FromQuery(Name = "session_id")] string? sessionId,
        [FromQuery(Name = "after")] string? after,
        [FromQuery(Name = "limit")] string? limit,
        SessionStore store,
        Reviews.ReviewStore reviews,
        CancellationToken cancellationToken)
    {
        if (!ExchangePaging.TryParse(after, limit, out var paging, out var invalidPaging))
        {
            return invalidPaging;
        }

        SessionRecord? session;
        if (sessionId is null)
        {
            session = await store.GetLatestSessionAsync(cancellationToken);
            if (session is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No training log yet", detail: "No training session has been started yet.");
            }
        }
        else
        {
            if (!TryParseSessionId(sessionId, out var id, out var invalid))
            {
                return invalid;
            }

            session = await store.GetSessionAsync(id, cancellationToken);
            if (session is null)
            {
                return SessionNotFound(id);
            }
        }

        var page = await paging.ReadAsync(store, session, $"/api/training/log?session_id={session.SessionId}&", cancellationToken);
        page = page with { Exchanges = await reviews.AttachAsync(session.SessionId, page.Exchanges, cancellationToken) };
        return TypedResults.Ok(SessionLogPage.From(session, page));
    }

    public static async Task<Ok<SessionListResponse>> ListSessionsAsync(SessionStore store, CancellationToken cancellationToken)
    {
        var sessions = (await store.ListSessionsAsync(cancellationToken)).Select(SessionView.From).ToList();
        return TypedResults.Ok(new SessionListResponse(sessions.Count, sessions));
    }

    /// <summary>One session view and, under <c>log</c>, at most one page of its exchanges (<c>?after=&amp;limit=</c>).</summary>
    public static async Task<Results<Ok<SessionDetail>, ProblemHttpResult, ValidationProblem>> GetSessionAsync(
        string sessionId,
        [FromQuery(Name = "after")] string? after,
        [FromQuery(Name = "limit")] string? limit,
        SessionStore store,
        CancellationToken cancellationToken)
    {
        if (!TryParseSessionId(sessionId, out var id, out var invalid))
        {
            return invalid;
        }

        if (!ExchangePaging.TryParse(after, limit, out var paging, out var invalidPaging))
        {
            return invalidPaging;
        }

        if (await store.GetSessionAsync(id, cancellationToken) is not { } session)
        {
            return SessionNotFound(id);
        }

        var page = await paging.ReadAsync(store, session, $"/api/training/sessions/{id}?", cancellationToken);
        return TypedResults.Ok(new SessionDetail(SessionView.From(session), page));
    }

    private static async Task<StartTrainingRequest?> ReadOptionalBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxBodyChars + 1];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        if (length > MaxBodyChars)
        {
            throw new BadHttpRequestException($"The request body is larger than {MaxBodyChars} characters.", StatusCodes.Status413PayloadTooLarge);
        }

        var text = new string(buffer, 0, length);
        return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<StartTrainingRequest>(text, RequestJson);
    }

    private static bool TryParseSessionId(string value, out Guid id, out ValidationProblem problem)
    {
        problem = null!;
        if (Guid.TryParse(value, out id))
        {
            return true;
        }

        problem = TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["session_id"] = [$"'{Truncate(value)}' is not a session id (a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301)."] },
            title: "Invalid session id");
        return false;
    }

    private static ProblemHttpResult SessionNotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"There is no training session {id}.");

    private static string Truncate(string value) => value.Length > 64 ? value[..64] + "…" : value;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}

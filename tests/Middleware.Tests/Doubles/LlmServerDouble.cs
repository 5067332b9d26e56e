using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Middleware.Tests.Doubles;

/// <summary>LlmServer's wire contract: stateless <c>POST /api/chat</c> with history and topic, <c>GET /api/models</c>.</summary>
public sealed class LlmServerDouble : PeerDouble
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public ConcurrentQueue<TeacherChatRequest> Received { get; } = new();

    protected override void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/chat", (TeacherChatRequest request) =>
        {
            var n = Interlocked.Increment(ref _requests);
            Received.Enqueue(request);
            if (string.IsNullOrWhiteSpace(request.Message))
            {
                return Results.Problem(statusCode: 400, title: "message is required");
            }

            return Results.Ok(new TeacherChatResponse($"Teacher turn {n} about {request.Topic ?? "anything"}.", "double", "embedded", 1));
        });
        endpoints.MapGet("/api/models", () => Results.Ok(new { active = "embedded", chain = new[] { "embedded" }, providers = Array.Empty<object>() }));
    }

    public sealed record TeacherChatRequest(string Message, IReadOnlyList<Turn>? History, string? Topic, string? Model, string? Provider = null);

    public sealed record Turn(string Role, string Content);

    private sealed record TeacherChatResponse(string Response, string Model, string Provider, long DurationMs);
}

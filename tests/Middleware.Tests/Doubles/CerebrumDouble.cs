using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Middleware.Tests.Doubles;

/// <summary>Cerebrum.Api's wire contract: <c>POST /api/chat</c> with <c>Idempotency-Key</c> dedupe, <c>GET /api/status</c>.</summary>
public sealed class CerebrumDouble : PeerDouble
{
    private readonly ConcurrentDictionary<string, ChatReply> _byKey = new();
    private int _requests;

    /// <summary>Exchanges counted once each, as the real learner counts observations.</summary>
    public int Observations => _byKey.Count;

    /// <summary>Every chat request received, repeats included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyCollection<string> Keys => [.. _byKey.Keys];

    /// <summary>When set, a chat waits this long before answering (to catch the middleware mid-call).</summary>
    public TimeSpan ReplyDelay { get; set; } = TimeSpan.Zero;

    protected override void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/chat", async (ChatRequest request, HttpRequest http) =>
        {
            Interlocked.Increment(ref _requests);
            if (string.IsNullOrWhiteSpace(request.Message) || request.Message.Length > 4000)
            {
                return Results.Problem(statusCode: 400, title: "message must be 1..4000 characters");
            }

            if (ReplyDelay > TimeSpan.Zero)
            {
                await Task.Delay(ReplyDelay);
            }

            var key = http.Headers["Idempotency-Key"].FirstOrDefault() ?? Guid.NewGuid().ToString();
            var reply = _byKey.GetOrAdd(key, _ =>
            {
                var observations = _byKey.Count + 1;
                return new ChatReply($"I heard: {request.Message[..Math.Min(40, request.Message.Length)]}", observations < 50 ? "observing" : "synthesizing", observations, key);
            });
            return Results.Ok(reply);
        });
        endpoints.MapGet("/api/status", () => Results.Ok(new { observations = Observations, vocabulary = 0, phase = "observing", uptime_seconds = 1 }));
    }

    private sealed record ChatRequest(string Message);

    private sealed record ChatReply(string Response, string Phase, int Observations, string ExchangeId);
}

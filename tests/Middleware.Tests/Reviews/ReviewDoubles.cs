using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Middleware.Tests.Doubles;

namespace Middleware.Tests.Reviews;

/// <summary>
/// Cerebrum.Api's contract with feedback: <c>POST /api/chat</c> (deduped by <c>Idempotency-Key</c>) and
/// <c>POST /api/feedback</c> (score 0..1 or approved, and/or a correction), idempotent per exchange (the latest counts; an unknown exchange is a 404 problem).
/// </summary>
public sealed class FeedbackCerebrumDouble : PeerDouble
{
    private readonly ConcurrentDictionary<string, string> _replies = new();
    private int _feedbackRequests;

    /// <summary>The latest feedback per exchange, as Cerebrum keeps it.</summary>
    public ConcurrentDictionary<string, Feedback> Latest { get; } = new();

    /// <summary>Every feedback request, repeats included.</summary>
    public int FeedbackRequests => Volatile.Read(ref _feedbackRequests);

    public int Observations => _replies.Count;

    /// <summary>While set, feedback is answered 503 (Cerebrum overloaded) and not kept.</summary>
    public bool RefuseFeedback { get; set; }

    /// <summary>What the learner answers to a message; by default a fluent reply that picks up the message.</summary>
    public Func<string, string> Reply { get; set; } = message => $"I heard: {message[..Math.Min(40, message.Length)]}";

    protected override void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/chat", (ChatRequest request, HttpRequest http) =>
        {
            var key = http.Headers["Idempotency-Key"].FirstOrDefault() ?? Guid.NewGuid().ToString();
            var reply = _replies.GetOrAdd(key, _ => Reply(request.Message));
            return Results.Ok(new { response = reply, phase = _replies.Count <= 3 ? "observing" : "synthesizing", observations = _replies.Count, exchange_id = key });
        });
        endpoints.MapPost("/api/feedback", (FeedbackRequest request) =>
        {
            Interlocked.Increment(ref _feedbackRequests);
            if (RefuseFeedback)
            {
                return Results.Problem(statusCode: 503, title: "busy");
            }

            if (request.ExchangeId is null || !_replies.ContainsKey(request.ExchangeId))
            {
                return Results.Problem(statusCode: 404, title: "Unknown exchange");
            }

            if ((request.Score is not null && request.Approved is not null) || request.Score is < 0 or > 1
                || (request.Score is null && request.Approved is null && request.Correction is null))
            {
                return Results.Problem(statusCode: 400, title: "Give score (0 to 1) or approved, and/or a correction");
            }

            Latest[request.ExchangeId] = new Feedback(request.Score ?? (request.Approved is { } approved ? (approved ? 1 : 0) : double.NaN), request.Correction);
            return Results.Ok(new { exchange_id = request.ExchangeId, score = request.Score });
        });
        endpoints.MapGet("/api/status", () => Results.Ok(new { observations = Observations, feedback = new { received = Latest.Count } }));
    }

    public sealed record Feedback(double Score, string? Correction);

    private sealed record ChatRequest(string Message);

    private sealed record FeedbackRequest(string? ExchangeId, double? Score, bool? Approved, string? Correction);
}

/// <summary>
/// LlmServer's contract with reviews: <c>POST /api/chat</c> and <c>POST /api/review</c>. Its review scores a reply by
/// how many words it has (ten or more is 1.0), so tests know each score in advance.
/// </summary>
public sealed class ReviewingLlmServerDouble : PeerDouble
{
    private int _turns;
    private int _failuresLeft;

    public ConcurrentQueue<ReviewRequest> Reviews { get; } = new();

    /// <summary>The next this many reviews are answered 503.</summary>
    public int FailNextReviews { set => Volatile.Write(ref _failuresLeft, value); }

    /// <summary>When set, a review waits this long before answering (to catch the middleware mid-review).</summary>
    public TimeSpan ReviewDelay { get; set; } = TimeSpan.Zero;

    /// <summary>When set, every review waits until it completes (to see what the middleware does meanwhile).</summary>
    public TaskCompletionSource? ReviewGate { get; set; }

    /// <summary>Teacher turns asked for so far.</summary>
    public int Turns => Volatile.Read(ref _turns);

    /// <summary>When set, every review is answered with this status (e.g. 400: a reviewer that rejects the request).</summary>
    public int? ReviewStatus { get; set; }

    public static double ScoreOf(string reply) => Math.Min(1, reply.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length / 10.0);

    public static string BetterReplyTo(string teacher) => $"A better answer to '{teacher}'.";

    protected override void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/chat", (ChatRequest request) =>
        {
            var n = Interlocked.Increment(ref _turns);
            return Results.Ok(new { response = $"Teacher turn {n} about {request.Topic ?? "anything"}.", model = "double", provider = "embedded", duration_ms = 1 });
        });
        endpoints.MapPost("/api/review", async (ReviewRequest request, HttpContext http) =>
        {
            Reviews.Enqueue(request);
            if (ReviewDelay > TimeSpan.Zero)
            {
                await Task.Delay(ReviewDelay, http.RequestAborted);
            }

            if (ReviewGate is { } gate)
            {
                await gate.Task.WaitAsync(http.RequestAborted);
            }

            if (ReviewStatus is { } status)
            {
                return Results.Problem(statusCode: status, title: "review refused");
            }

            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                return Results.Problem(statusCode: 503, title: "reviewer overloaded");
            }

            var score = ScoreOf(request.LearnerReply);
            return Results.Ok(new
            {
                score,
                verdict = score >= 0.7 ? "good" : score >= 0.4 ? "fair" : "poor",
                dimensions = new Dictionary<string, double> { ["relevance"] = score, ["fluency"] = score, ["grammar"] = 1, ["novelty"] = score, ["on_topic"] = 1 },
                reasons = new[] { $"{request.LearnerReply.Split(' ').Length} words" },
                better_reply = BetterReplyTo(request.TeacherMessage),
                reviewer = "double/word-count",
                fallback = false,
                duration_ms = 1,
            });
        });
        endpoints.MapGet("/api/models", () => Results.Ok(new { active = "embedded" }));
    }

    private sealed record ChatRequest(string Message, string? Topic);

    public sealed record ReviewRequest(string? Topic, string TeacherMessage, string LearnerReply, IReadOnlyList<Turn>? History, string? Reviewer);

    public sealed record Turn(string Role, string Content);
}

/// <summary>The two reviewing peers and a data directory, fresh for each test.</summary>
public abstract class ReviewPeersTest : IAsyncLifetime
{
    public FeedbackCerebrumDouble Cerebrum { get; } = new();

    public ReviewingLlmServerDouble Llm { get; } = new();

    public MiddlewareFiles Files { get; } = new();

    public async Task InitializeAsync()
    {
        await Cerebrum.StartAsync();
        await Llm.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Cerebrum.DisposeAsync();
        await Llm.DisposeAsync();
        Files.Dispose();
    }

    protected MiddlewareHost Start(params (string Key, string? Value)[] settings) =>
        MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, settings.ToDictionary(s => s.Key, s => s.Value));

    /// <summary>Polls the review summary until no feedback is pending; bounded in time and count.</summary>
    protected static async Task<System.Text.Json.JsonElement> WaitForFeedbackAsync(MiddlewareHost host, Guid sessionId, int reviewed)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        System.Text.Json.JsonElement summary = default;
        for (var i = 0; i < 1000 && DateTime.UtcNow < deadline; i++)
        {
            summary = await host.GetJsonAsync($"/api/training/reviews?session_id={sessionId}");
            if (summary.Int("reviewed") + summary.Int("unreviewed") >= reviewed && summary.GetProperty("feedback").Int("pending") == 0)
            {
                return summary;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Feedback still pending: {summary}");
    }
}

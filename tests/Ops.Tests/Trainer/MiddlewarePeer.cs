using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ops.Tests.Trainer;

/// <summary>
/// An HTTP peer on 127.0.0.1 that speaks the middleware's control contract (docs/contracts.md): start, status, one session, stop,
/// the SSE event stream, and the pass-throughs to Cerebrum (status, chat) and to LlmServer (chat). Sessions advance one exchange per <c>delay</c>, and every
/// call is recorded so a test can see what the trainer did.
/// </summary>
public sealed class MiddlewarePeer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _observations = 40;
    private long _started;

    private MiddlewarePeer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>"METHOD /path?query" of every request, in order.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public IReadOnlyList<string> ApiKeysSeen => [.. _apiKeys];

    public JsonElement? LastStartBody { get; private set; }

    public IReadOnlyCollection<Session> Sessions => [.. _sessions.Values];

    /// <summary>The body of every chat request, in order, by path (<c>/api/cerebrum/chat</c> or <c>/api/llm/chat</c>).</summary>
    public IReadOnlyList<(string Path, JsonElement Body)> Chats => [.. _chats];

    /// <summary>When set, the chat pass-throughs answer this status with a problem instead of a reply.</summary>
    public int? ChatStatus { get; init; }

    private readonly ConcurrentQueue<(string Path, JsonElement Body)> _chats = new();

    private readonly ConcurrentQueue<string> _apiKeys = new();

    /// <summary>When set, every session fails after this many exchanges with <see cref="FailureMessage"/> as its last error.</summary>
    public int? FailAfter { get; init; }

    public const string FailureMessage = "Cerebrum did not answer after 5 attempts.";

    public static async Task<MiddlewarePeer> StartAsync(string? requiredApiKey = null, int? failAfter = null, int? chatStatus = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        var peer = new MiddlewarePeer(app) { FailAfter = failAfter, ChatStatus = chatStatus };

        app.Use(async (context, next) =>
        {
            peer._calls.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            var key = context.Request.Headers["X-Api-Key"].ToString();
            peer._apiKeys.Enqueue(key);
            if (requiredApiKey is not null && context.Request.Path.StartsWithSegments("/api/training") && key != requiredApiKey)
            {
                await Results.Problem(statusCode: 401, title: "Unauthorized", detail: "This middleware requires header X-Api-Key.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.MapGet("/api/cerebrum/status", () => Results.Json(new { observations = Interlocked.Read(ref peer._observations), vocabulary = 12, phase = Interlocked.Read(ref peer._observations) >= 50 ? "synthesizing" : "observing", uptime_seconds = 1, metrics = new { } }));
        app.MapPost("/api/training/start", peer.Start);
        app.MapGet("/api/training/status", () => Results.Json(peer.Status(), Json));
        app.MapGet("/api/training/sessions/{sessionId}", (string sessionId) => peer.SessionView(sessionId));
        app.MapPost("/api/training/stop", (string? session_id) => peer.Stop(session_id));
        app.MapGet("/api/training/events", peer.Events);
        app.MapPost("/api/cerebrum/chat", (HttpRequest request) => peer.Chat(request, "learner"));
        app.MapPost("/api/llm/chat", (HttpRequest request) => peer.Chat(request, "teacher"));

        await app.StartAsync();
        peer.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return peer;
    }

    private async Task<IResult> Start(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        LastStartBody = body.RootElement.Clone();
        var max = body.RootElement.TryGetProperty("max_exchanges", out var m) ? m.GetInt32() : 100;
        var delay = body.RootElement.TryGetProperty("delay", out var d) ? d.GetDouble() : 2.0;
        if (max is < 1 or > 100_000)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["max_exchanges"] = ["max_exchanges must be between 1 and 100000."] });
        }

        var session = new Session(Guid.NewGuid().ToString("D"), max, body.RootElement.TryGetProperty("topic", out var t) ? t.GetString() : "greetings",
            Interlocked.Increment(ref _started));
        _sessions[session.SessionId] = session;
        _ = RunAsync(session, TimeSpan.FromSeconds(delay));
        return Results.Json(new { session_id = session.SessionId, status = "running", max_exchanges = max }, statusCode: 202);
    }

    /// <summary>Answers "&lt;who&gt; answer &lt;n&gt; to: &lt;message&gt;" (as Cerebrum's and LlmServer's chat do, in <c>response</c>).</summary>
    private async Task<IResult> Chat(HttpRequest request, string who)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        _chats.Enqueue((request.Path.Value!, body.RootElement.Clone()));
        if (ChatStatus is { } status)
        {
            return Results.Problem(statusCode: status, title: "Chat refused", detail: $"the {who} is not available");
        }

        var n = _chats.Count(c => c.Path == request.Path.Value);
        return Results.Json(new { response = $"{who} answer {n} to: {body.RootElement.GetProperty("message").GetString()}" });
    }

    private async Task RunAsync(Session session, TimeSpan delay)
    {
        while (session.Status == "running" && !_stopping.IsCancellationRequested)
        {
            await Task.Delay(delay, CancellationToken.None);
            lock (session)
            {
                if (session.Status != "running")
                {
                    return;
                }

                session.Exchanges++;
                Interlocked.Increment(ref _observations);
                session.Events.Add(new { session_id = session.SessionId, sequence = session.Exchanges, topic = session.Topic, teacher_message = $"Teacher line {session.Exchanges}", learner_response = $"Learner line {session.Exchanges}" });
                if (session.Exchanges >= session.MaxExchanges)
                {
                    session.Status = "completed";
                }
                else if (session.Exchanges >= FailAfter)
                {
                    session.Status = "failed";
                    session.LastError = FailureMessage;
                }
            }
        }
    }

    /// <summary>As the middleware answers it: <c>sessions</c> holds the active sessions, or the latest one when none is active.</summary>
    private object Status()
    {
        var active = _sessions.Values.Where(s => s.Status == "running").ToList();
        var listed = active.Count > 0 ? active : _sessions.Values.OrderByDescending(s => s.Order).Take(1).ToList();
        return new { running = active.Count > 0, sessions = listed.Select(View).ToList() };
    }

    private IResult SessionView(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var session)
            ? Results.Json(View(session), Json)
            : Results.Problem(statusCode: 404, title: "Unknown session", detail: $"No session '{sessionId}'.");

    private static object View(Session s) =>
        new { session_id = s.SessionId, status = s.Status, exchanges = s.Exchanges, max_exchanges = s.MaxExchanges, topic = s.Topic, last_error = s.LastError };

    private IResult Stop(string? sessionId)
    {
        var targets = sessionId is null ? _sessions.Values.ToList() : _sessions.TryGetValue(sessionId, out var one) ? [one] : [];
        if (sessionId is not null && targets.Count == 0)
        {
            return Results.Problem(statusCode: 404, title: "Unknown session", detail: $"No session '{sessionId}'.");
        }

        foreach (var session in targets)
        {
            lock (session)
            {
                if (session.Status == "running")
                {
                    session.Status = "stopped";
                }
            }
        }

        return Results.Json(new { stopped = targets.Select(s => s.SessionId) });
    }

    private async Task Events(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        var sent = new Dictionary<string, int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var session in _sessions.Values)
                {
                    object[] pending;
                    lock (session)
                    {
                        pending = session.Events.Skip(sent.GetValueOrDefault(session.SessionId)).ToArray();
                    }

                    foreach (var e in pending)
                    {
                        await context.Response.WriteAsync($"event: exchange_completed\ndata: {JsonSerializer.Serialize(e)}\n\n", stop.Token);
                    }

                    sent[session.SessionId] = sent.GetValueOrDefault(session.SessionId) + pending.Length;
                }

                await context.Response.Body.FlushAsync(stop.Token);
                await Task.Delay(50, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or the peer is shutting down.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    public sealed class Session(string sessionId, int maxExchanges, string? topic, long order)
    {
        public string SessionId { get; } = sessionId;

        /// <summary>Start order: the highest is the latest session.</summary>
        public long Order { get; } = order;

        public int MaxExchanges { get; } = maxExchanges;

        public string? Topic { get; } = topic;

        public volatile string Status = "running";

        public int Exchanges;

        public string? LastError;

        public List<object> Events { get; } = [];
    }
}

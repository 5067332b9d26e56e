using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.IntegrationTests.Routing;

/// <summary>
/// A learner double speaking Cerebrum.Api's contract (<c>POST /api/chat</c> deduped by <c>Idempotency-Key</c>,
/// <c>POST /api/feedback</c>, <c>GET /api/status</c>) that answers well on every topic but one: a teacher line about
/// the weather gets a broken two-word reply, anything else a full sentence that picks up the teacher's words.
/// </summary>
public sealed class WeakTopicLearner : IAsyncDisposable
{
    private static readonly string[] WeatherWords = ["weather", "rain", "sun", "snow", "cold", "hot", "wind", "cloud", "storm", "warm", "umbrella", "season", "winter", "summer"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _replies = new();

    private WeakTopicLearner(WebApplication app) => _app = app;

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<WeakTopicLearner> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var learner = new WeakTopicLearner(app);
        app.MapPost("/api/chat", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            var message = body["message"]?.GetValue<string>() ?? string.Empty;
            var key = context.Request.Headers["Idempotency-Key"].FirstOrDefault() ?? Guid.NewGuid().ToString();
            var reply = learner._replies.GetOrAdd(key, _ => Answer(message));
            return Results.Json(new { response = reply, phase = "synthesizing", observations = learner._replies.Count });
        });
        app.MapPost("/api/feedback", () => Results.Json(new { accepted = true }));
        app.MapGet("/api/status", () => Results.Json(new { observations = learner._replies.Count, phase = "synthesizing" }));
        await app.StartAsync();
        return learner;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Answer(string message)
    {
        var lower = message.ToLowerInvariant();
        if (WeatherWords.Any(lower.Contains))
        {
            return "buy the";
        }

        var word = message.Split([' ', '.', ',', '!', '?'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 3).MaxBy(w => w.Length) ?? "it";
        return $"Yes, I like {word.ToLowerInvariant()} very much and I talk about it with my friends.";
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.IntegrationTests.Routing;

/// <summary>
/// An Ollama server double (Ollama's real <c>/api/tags</c>, <c>/api/version</c> and <c>/api/chat</c>, NDJSON or one
/// object) on 127.0.0.1 serving two models. <see cref="Good"/> gives varied, on-topic turns: it reads the topic from
/// the system prompt LlmServer sends ("Today's topic is …") and asks a different question about it each time.
/// <see cref="Bad"/> repeats one off-topic line and fails 3 requests in 10 (HTTP 500), two of them in a row: the
/// middleware's HTTP client retries a failed call once, so only a failure that its retry meets again fails the attempt. <see cref="GoodDownBetween"/>
/// makes the good model fail every request, as if its server had gone away, from the moment the double has answered
/// a given number of turns until it has answered another: the outage is placed by the turns served, in the request
/// path itself, so no test thread has to notice an exchange in time however loaded the machine is.
/// </summary>
public sealed partial class TwoTeacherOllama : IAsyncDisposable
{
    public const string Good = "good-teacher:1b";
    public const string Bad = "bad-teacher:1b";
    public const string BadLine = "Buy cheap watches at my shop today.";

    private static readonly string[] GoodQuestions =
    [
        "What do you like most about {0}?",
        "Can you tell me one thing you did with {0} last week?",
        "Who do you talk to about {0} at home?",
        "Is {0} something you enjoy in the morning or in the evening?",
        "Which word about {0} did you learn first?",
        "How would you explain {0} to a small child?",
        "Why do people care so much about {0}, do you think?",
        "Where do you usually meet {0} in your day?",
    ];

    private readonly WebApplication _app;
    private int _goodServed;
    private int _badRequests;
    private int _answered;
    private (int From, int Until) _goodDown = (int.MaxValue, int.MaxValue);

    private TwoTeacherOllama(WebApplication app) => _app = app;

    /// <summary>Every chat request, in arrival order: the model asked and whether it was answered.</summary>
    public ConcurrentQueue<(string Model, bool Answered)> Requests { get; } = new();

    /// <summary>Chat requests answered so far, by either model.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>The good model fails every request that arrives after <paramref name="answered"/> turns were answered
    /// and before <paramref name="until"/> were: with one turn answered per exchange, exchanges answered + 1 to until.</summary>
    public void GoodDownBetween(int answered, int until) => _goodDown = (answered, until);

    private bool GoodDown => Answered >= _goodDown.From && Answered < _goodDown.Until;

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<TwoTeacherOllama> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ollama = new TwoTeacherOllama(app);
        app.MapGet("/", () => Results.Text("Ollama is running"));
        app.MapGet("/api/version", () => Results.Json(new { version = "0.6.8" }));
        app.MapGet("/api/tags", () => Results.Json(new
        {
            models = new[] { Good, Bad }.Select(name => new
            {
                name,
                model = name,
                modified_at = "2025-05-01T10:00:00.000000000Z",
                size = 815319791,
                digest = "8648f39daa8fbf5b18c7b4e6a8fb4990c692751d49917417b8842ca5758e7ffc",
                details = new { format = "gguf", family = "gemma3", parameter_size = "999.89M", quantization_level = "Q4_K_M" },
            }),
        }));
        app.MapPost("/api/chat", ollama.ChatAsync);
        await app.StartAsync();
        return ollama;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ChatAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        var model = body["model"]?.GetValue<string>() ?? string.Empty;
        string? reply = model switch
        {
            Good when !GoodDown => GoodLine(body),
            Bad when Interlocked.Increment(ref _badRequests) % 10 is not (3 or 4 or 8) => BadLine,
            _ => null,
        };
        if (reply is not null)
        {
            // Counted before the answer is written: the next request is decided by a count that already includes this one.
            Interlocked.Increment(ref _answered);
        }

        Requests.Enqueue((model, reply is not null));
        if (reply is null)
        {
            context.Response.StatusCode = model is Good or Bad ? StatusCodes.Status500InternalServerError : StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { error = model is Good or Bad ? "llama runner process has terminated" : $"model \"{model}\" not found" });
            return;
        }

        var done = new
        {
            model,
            created_at = DateTimeOffset.UtcNow.ToString("O"),
            message = new { role = "assistant", content = reply },
            done = true,
            done_reason = "stop",
            total_duration = 48835834,
            eval_count = 12,
        };
        var stream = body["stream"]?.GetValue<bool>() ?? true;
        context.Response.ContentType = stream ? "application/x-ndjson" : "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(done) + (stream ? "\n" : string.Empty));
    }

    private string GoodLine(JsonNode body)
    {
        var system = body["messages"]?.AsArray().Select(m => m?["content"]?.GetValue<string>()).FirstOrDefault() ?? string.Empty;
        var topic = TopicPattern().Match(system) is { Success: true } match ? match.Groups[1].Value.Trim() : "your day";
        var served = Interlocked.Increment(ref _goodServed);
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, GoodQuestions[served % GoodQuestions.Length], topic.ToLowerInvariant());
    }

    [GeneratedRegex(@"Today's topic is ([^.]+)\.")]
    private static partial Regex TopicPattern();
}

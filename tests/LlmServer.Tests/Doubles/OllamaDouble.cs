using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmServer.Tests.Doubles;

/// <summary>
/// A stand-in for an Ollama server that speaks Ollama's real HTTP API on 127.0.0.1: <c>/api/tags</c>, <c>/api/chat</c>
/// (NDJSON chunks when <c>stream</c> is true or absent, one JSON object when false), <c>/api/pull</c> (NDJSON progress)
/// and <c>/api/version</c>. It answers with <see cref="Reply"/> and records every chat request body.
/// </summary>
public sealed class OllamaDouble : KestrelDouble
{
    public ConcurrentBag<string> InstalledModels { get; } = [];

    public ConcurrentQueue<JsonNode> ChatRequests { get; } = new();

    public ConcurrentQueue<JsonNode> PullRequests { get; } = new();

    public string Reply { get; set; } = "Hello! I am the Ollama teacher. What is your name?";

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public string BaseUrl => ListeningAddress;

    public static async Task<OllamaDouble> StartAsync(params string[] installedModels)
    {
        var double_ = new OllamaDouble();
        foreach (var model in installedModels)
        {
            double_.InstalledModels.Add(model);
        }

        await double_.HostAsync(app =>
        {
            app.MapGet("/api/version", () => Results.Json(new { version = "0.6.8" }));
            app.MapGet("/", () => Results.Text("Ollama is running"));
            app.MapGet("/api/tags", double_.Tags);
            app.MapPost("/api/chat", double_.ChatAsync);
            app.MapPost("/api/pull", double_.PullAsync);
        });
        return double_;
    }

    private IResult Tags() => Results.Json(new
    {
        models = InstalledModels.Select(name => new
        {
            name,
            model = name,
            modified_at = "2025-05-01T10:00:00.000000000Z",
            size = 815319791,
            digest = "8648f39daa8fbf5b18c7b4e6a8fb4990c692751d49917417b8842ca5758e7ffc",
            details = new { parent_model = "", format = "gguf", family = "gemma3", families = new[] { "gemma3" }, parameter_size = "999.89M", quantization_level = "Q4_K_M" },
        }),
    });

    private async Task ChatAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        ChatRequests.Enqueue(body);
        var model = body["model"]?.GetValue<string>() ?? string.Empty;
        if (!InstalledModels.Contains(model))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { error = $"model \"{model}\" not found, try pulling it first" });
            return;
        }

        await Task.Delay(Delay, context.RequestAborted);
        var stream = body["stream"]?.GetValue<bool>() ?? true;
        context.Response.ContentType = stream ? "application/x-ndjson" : "application/json; charset=utf-8";
        if (!stream)
        {
            await WriteLineAsync(context, Done(model, Reply));
            return;
        }

        // Ollama streams a few words per chunk, then a final chunk with done=true and the timings.
        foreach (var chunk in Chunks(Reply))
        {
            await WriteLineAsync(context, new { model, created_at = Now(), message = new { role = "assistant", content = chunk }, done = false });
        }

        await WriteLineAsync(context, Done(model, string.Empty));
    }

    private async Task PullAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        PullRequests.Enqueue(body);
        var model = body["model"]?.GetValue<string>() ?? body["name"]?.GetValue<string>() ?? string.Empty;
        context.Response.ContentType = "application/x-ndjson";
        await WriteLineAsync(context, new { status = "pulling manifest" });
        const long total = 815319791;
        foreach (var completed in new long[] { 0, total / 4, total / 2, total * 3 / 4, total })
        {
            await WriteLineAsync(context, new { status = "pulling 7cd4618c1faf", digest = "sha256:7cd4618c1faf", total, completed });
        }

        await WriteLineAsync(context, new { status = "verifying sha256 digest" });
        await WriteLineAsync(context, new { status = "writing manifest" });
        InstalledModels.Add(model);
        await WriteLineAsync(context, new { status = "success" });
    }

    private static object Done(string model, string content) => new
    {
        model,
        created_at = Now(),
        message = new { role = "assistant", content },
        done = true,
        done_reason = "stop",
        total_duration = 4883583458,
        load_duration = 1334875,
        prompt_eval_count = 26,
        prompt_eval_duration = 342546000,
        eval_count = 12,
        eval_duration = 4535599000,
    };

    private static IEnumerable<string> Chunks(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i += 2)
        {
            yield return string.Join(' ', words.Skip(i).Take(2)) + (i + 2 < words.Length ? " " : string.Empty);
        }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O");

    private static async Task WriteLineAsync(HttpContext context, object value)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(value) + "\n");
        await context.Response.Body.FlushAsync();
    }
}

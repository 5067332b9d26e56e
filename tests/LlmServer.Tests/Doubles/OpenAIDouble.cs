using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmServer.Tests.Doubles;

/// <summary>
/// A stand-in for an OpenAI-compatible server (OpenAI, vLLM, llama.cpp, Gemini's and Anthropic's compatible endpoints)
/// speaking the real wire format under <see cref="PathPrefix"/>: <c>POST chat/completions</c> (a chat.completion object,
/// or server-sent chat.completion.chunk events when <c>stream</c> is true) and <c>GET models</c>. It checks the bearer key.
/// </summary>
public sealed class OpenAIDouble : KestrelDouble
{
    private OpenAIDouble(string pathPrefix, string apiKey)
    {
        PathPrefix = pathPrefix;
        ApiKey = apiKey;
    }

    public string PathPrefix { get; }

    public string ApiKey { get; }

    public ConcurrentQueue<JsonNode> ChatRequests { get; } = new();

    public ConcurrentQueue<string?> AuthorizationHeaders { get; } = new();

    public string Reply { get; set; } = "Hi! I am the OpenAI-compatible teacher. How are you?";

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<string> Models { get; set; } = ["gpt-4o-mini"];

    public string Root => ListeningAddress;

    /// <summary>The base URL a client is configured with, e.g. <c>http://127.0.0.1:5123/v1/</c>.</summary>
    public string BaseUrl => $"{Root}{PathPrefix}/";

    public static async Task<OpenAIDouble> StartAsync(string pathPrefix = "/v1", string apiKey = "sk-test-key")
    {
        var double_ = new OpenAIDouble(pathPrefix, apiKey);
        await double_.HostAsync(app =>
        {
            app.MapPost($"{pathPrefix}/chat/completions", double_.ChatAsync);
            app.MapGet($"{pathPrefix}/models", double_.ListModels);
        });
        return double_;
    }

    private bool Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        AuthorizationHeaders.Enqueue(header);
        return header == $"Bearer {ApiKey}";
    }

    private IResult ListModels(HttpContext context) => !Authorized(context)
        ? Unauthorized()
        : Results.Json(new { @object = "list", data = Models.Select(id => new { id, @object = "model", created = 1686935002, owned_by = "test" }) });

    private async Task ChatAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            await Unauthorized().ExecuteAsync(context);
            return;
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        ChatRequests.Enqueue(body);
        await Task.Delay(Delay, context.RequestAborted);
        var model = body["model"]?.GetValue<string>() ?? "unknown";
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id,
                @object = "chat.completion",
                created,
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = Reply, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" } },
                usage = new { prompt_tokens = 42, completion_tokens = 12, total_tokens = 54 },
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var word in Reply.Split(' ').Select((w, i) => i == 0 ? w : " " + w))
        {
            await EventAsync(context, new { id, @object = "chat.completion.chunk", created, model, choices = new[] { new { index = 0, delta = new { content = word }, finish_reason = (string?)null } } });
        }

        await EventAsync(context, new { id, @object = "chat.completion.chunk", created, model, choices = new[] { new { index = 0, delta = new { content = (string?)null }, finish_reason = "stop" } } });
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static IResult Unauthorized() => Results.Json(
        new { error = new { message = "Incorrect API key provided.", type = "invalid_request_error", param = (string?)null, code = "invalid_api_key" } },
        statusCode: StatusCodes.Status401Unauthorized);

    private static async Task EventAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n");
        await context.Response.Body.FlushAsync();
    }
}

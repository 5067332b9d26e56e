using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmServer.Tests.Doubles;

/// <summary>A stand-in for Anthropic's Messages API (<c>POST /v1/messages</c>, <c>GET /v1/models</c>) that checks the key.</summary>
public sealed class AnthropicDouble : KestrelDouble
{
    private AnthropicDouble(string apiKey) => ApiKey = apiKey;

    public string ApiKey { get; }

    public ConcurrentQueue<JsonNode> MessageRequests { get; } = new();

    public string Reply { get; set; } = "Hello! I am Claude, your teacher today. How are you?";

    public string BaseUrl => ListeningAddress;

    public static async Task<AnthropicDouble> StartAsync(string apiKey = "sk-ant-test")
    {
        var double_ = new AnthropicDouble(apiKey);
        await double_.HostAsync(app =>
        {
            app.MapPost("/v1/messages", double_.MessagesAsync);
            app.MapGet("/v1/models", (HttpContext context) => double_.Authorized(context)
                ? Results.Json(new { data = new[] { new { type = "model", id = "claude-3-5-haiku-latest", display_name = "Claude Haiku 3.5", created_at = "2024-10-22T00:00:00Z" } }, has_more = false, first_id = "claude-3-5-haiku-latest", last_id = "claude-3-5-haiku-latest" })
                : AuthenticationError());
        });
        return double_;
    }

    /// <summary>The API takes the key as <c>x-api-key</c>; the official .NET SDK sends it as <c>Authorization: Bearer</c>.</summary>
    private bool Authorized(HttpContext context) =>
        context.Request.Headers["x-api-key"] == ApiKey || context.Request.Headers.Authorization == $"Bearer {ApiKey}";

    private async Task MessagesAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            await AuthenticationError().ExecuteAsync(context);
            return;
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        MessageRequests.Enqueue(body);
        var model = body["model"]?.GetValue<string>() ?? "unknown";
        await context.Response.WriteAsJsonAsync(new
        {
            id = $"msg_{Guid.NewGuid():N}",
            type = "message",
            role = "assistant",
            model,
            content = new[] { new { type = "text", text = Reply } },
            stop_reason = "end_turn",
            stop_sequence = (string?)null,
            usage = new { input_tokens = 57, output_tokens = 14 },
        });
    }

    private static IResult AuthenticationError() => Results.Json(
        new { type = "error", error = new { type = "authentication_error", message = "invalid x-api-key" } },
        statusCode: StatusCodes.Status401Unauthorized);
}

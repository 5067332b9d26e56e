using System.Text.Json;
using Refit;

namespace Middleware.Infrastructure;

/// <summary>LlmServer's HTTP contract, as far as the middleware uses it.</summary>
public interface ILlmServerApi
{
    [Post("/api/chat")]
    Task<LlmChatResponse> ChatAsync([Body] LlmChatRequest request, CancellationToken cancellationToken);

    [Get("/api/models")]
    Task<JsonElement> GetModelsAsync(CancellationToken cancellationToken);
}

public sealed record LlmChatRequest(string Message, IReadOnlyList<LlmChatTurn>? History = null, string? Topic = null, string? Model = null, string? Provider = null);

public sealed record LlmChatTurn(string Role, string Content);

public sealed record LlmChatResponse(string Response, string Model, string Provider, long DurationMs);

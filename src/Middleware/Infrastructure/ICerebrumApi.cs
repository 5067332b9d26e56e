using System.Text.Json;
using Refit;

namespace Middleware.Infrastructure;

/// <summary>Cerebrum.Api's HTTP contract, as far as the middleware uses it.</summary>
public interface ICerebrumApi
{
    /// <summary>Cerebrum counts one exchange per <paramref name="idempotencyKey"/>, however often it is sent.</summary>
    [Post("/api/chat")]
    Task<CerebrumChatResponse> ChatAsync([Body] CerebrumChatRequest request, [Header("Idempotency-Key")] string idempotencyKey, CancellationToken cancellationToken);

    [Get("/api/status")]
    Task<JsonElement> GetStatusAsync(CancellationToken cancellationToken);
}

public sealed record CerebrumChatRequest(string Message);

public sealed record CerebrumChatResponse(string Response, string Phase, int Observations, string? ExchangeId);

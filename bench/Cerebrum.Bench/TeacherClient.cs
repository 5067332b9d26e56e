using System.Net.Http.Json;
using System.Text.Json;

namespace Cerebrum.Bench;

public sealed record TeacherTurn(string Role, string Content);

/// <summary>Talks to a running LlmServer over HTTP, per docs/contracts.md.</summary>
public sealed class TeacherClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = Microsoft.Extensions.Hosting.Extensions.ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public async Task<string> AskAsync(string message, IReadOnlyList<TeacherTurn> history, string topic, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/chat", new { message, history, topic }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
        return reply.GetProperty("response").GetString() ?? string.Empty;
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bridge.Bench;

/// <summary>
/// The baseline: the benchmark itself does what the middleware does for one exchange (ask LlmServer for a teacher
/// turn with the recent history, send it to Cerebrum under an Idempotency-Key, feed the reply back), over HTTP,
/// with no middleware in between.
/// </summary>
public sealed class DirectExchanges(HttpClient http, Uri llmServer, Uri cerebrum)
{
    private const int HistoryTurns = 10;
    private const string Topic = "daily life";
    private readonly string conversationId = Guid.NewGuid().ToString("N");
    private readonly List<(string Role, string Content)> history = [];
    private int sequence;

    /// <summary>Runs <paramref name="count"/> exchanges one after another; returns each one's time in milliseconds.</summary>
    public async Task<List<double>> RunAsync(int count, CancellationToken cancellationToken)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            await ExchangeAsync(cancellationToken);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private async Task ExchangeAsync(CancellationToken cancellationToken)
    {
        sequence++;
        var message = history.Count == 0 ? $"Hello! Let's talk about {Topic}." : history[^1].Content;
        var teacherRequest = new
        {
            message,
            history = history.TakeLast(HistoryTurns).Select(t => new { role = t.Role, content = t.Content }).ToList(),
            topic = Topic,
        };
        using var teacherResponse = await http.PostAsJsonAsync(new Uri(llmServer, "/api/chat"), teacherRequest, cancellationToken);
        teacherResponse.EnsureSuccessStatusCode();
        var teacher = (await teacherResponse.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))?["response"]?.GetValue<string>()
            ?? throw new InvalidOperationException("LlmServer answered without a response.");

        using var learnerRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(cerebrum, "/api/chat"))
        {
            Content = JsonContent.Create(new { message = teacher.Length > 4000 ? teacher[..4000] : teacher }),
        };
        learnerRequest.Headers.Add("Idempotency-Key", $"bench-{conversationId}:{sequence}");
        using var learnerResponse = await http.SendAsync(learnerRequest, cancellationToken);
        learnerResponse.EnsureSuccessStatusCode();
        var learner = (await learnerResponse.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))?["response"]?.GetValue<string>() ?? string.Empty;

        history.Add(("assistant", teacher));
        history.Add(("user", string.IsNullOrWhiteSpace(learner) ? "..." : learner));
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bridge.Bench;

/// <summary>
/// The baseline: the benchmark itself does what the middleware does for one exchange (ask LlmServer for a teacher
/// turn with the recent history, over the given transport, send it to Cerebrum under an Idempotency-Key, feed the reply
/// back), with no middleware in between.
/// </summary>
public sealed class DirectExchanges(HttpClient http, ITeacherTurns teacher, Uri cerebrum)
{
    // As the middleware with its defaults (Training:HistoryExchanges 5): the last five exchanges of the topic, less the
    // learner's last reply, which travels as the message.
    private const int HistoryTurns = 10;

    /// <summary>The one topic of the direct loop; the benchmark's sessions are started on it too, so both ask alike.</summary>
    public const string Topic = "daily life";
    private readonly Guid conversationId = Guid.NewGuid();
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
        var teacherTurn = await teacher.AskAsync(new TeacherCall(conversationId, sequence, Topic, message, history.TakeLast(HistoryTurns).SkipLast(1).ToList()), cancellationToken);

        using var learnerRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(cerebrum, "/api/chat"))
        {
            Content = JsonContent.Create(new { message = teacherTurn.Length > 4000 ? teacherTurn[..4000] : teacherTurn }),
        };
        learnerRequest.Headers.Add("Idempotency-Key", $"bench-{conversationId:N}:{sequence}");
        using var learnerResponse = await http.SendAsync(learnerRequest, cancellationToken);
        learnerResponse.EnsureSuccessStatusCode();
        var learner = (await learnerResponse.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))?["response"]?.GetValue<string>() ?? string.Empty;

        history.Add(("assistant", teacherTurn));
        history.Add(("user", string.IsNullOrWhiteSpace(learner) ? "..." : learner));
    }
}

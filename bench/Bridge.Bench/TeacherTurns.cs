using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;

namespace Bridge.Bench;

/// <summary>One teacher turn as the middleware asks for it: the message, the recent history and the topic.</summary>
public sealed record TeacherCall(Guid SessionId, int Sequence, string Topic, string Message, IReadOnlyList<(string Role, string Content)> History);

/// <summary>How the benchmark's direct loop asks LlmServer for a teacher turn: over the transport the middleware uses in
/// the same mode, so that the difference to a session is what the middleware adds, not what the transport costs.</summary>
public interface ITeacherTurns
{
    Task<string> AskAsync(TeacherCall call, CancellationToken cancellationToken);
}

/// <summary><c>POST /api/chat</c> on LlmServer.</summary>
public sealed class HttpTeacherTurns(HttpClient http, Uri llmServer) : ITeacherTurns
{
    public async Task<string> AskAsync(TeacherCall call, CancellationToken cancellationToken)
    {
        var request = new
        {
            message = call.Message,
            history = call.History.Select(t => new { role = t.Role, content = t.Content }).ToList(),
            topic = call.Topic,
        };
        using var response = await http.PostAsJsonAsync(new Uri(llmServer, "/api/chat"), request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))?["response"]?.GetValue<string>()
            ?? throw new InvalidOperationException("LlmServer answered without a response.");
    }
}

/// <summary>
/// <c>GenerateTeacherTurn</c> to LlmServer's queue and <c>TeacherTurnGenerated</c> back, as the middleware's bus client
/// sends it (the contracts below carry the same message URNs as the services' own copies).
/// </summary>
public sealed class BusTeacherTurns : ITeacherTurns, IAsyncDisposable
{
    private const string TeacherTurnsQueue = "bridge-llmserver-teacher-turns";
    private readonly IBusControl _bus;
    private readonly IRequestClient<GenerateTeacherTurn> _client;

    private BusTeacherTurns(IBusControl bus)
    {
        _bus = bus;
        _client = bus.CreateRequestClient<GenerateTeacherTurn>(new Uri($"queue:{TeacherTurnsQueue}"), RequestTimeout.After(s: 60));
    }

    public static async Task<BusTeacherTurns> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(connectionString)));
        await bus.StartAsync(cancellationToken);
        return new BusTeacherTurns(bus);
    }

    public async Task<string> AskAsync(TeacherCall call, CancellationToken cancellationToken)
    {
        var response = await _client.GetResponse<TeacherTurnGenerated>(new GenerateTeacherTurn
        {
            SessionId = call.SessionId,
            Sequence = call.Sequence,
            Topic = call.Topic,
            Message = call.Message,
            History = [.. call.History.Select(t => new ChatTurn { Role = t.Role, Content = t.Content })],
        }, cancellationToken);
        return response.Message.Response;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);

    [MessageUrn("bridge:GenerateTeacherTurn")]
    public sealed record GenerateTeacherTurn
    {
        public Guid SessionId { get; init; }
        public int Sequence { get; init; }
        public string Topic { get; init; } = "";
        public string Message { get; init; } = "";
        public IReadOnlyList<ChatTurn> History { get; init; } = [];
    }

    [MessageUrn("bridge:ChatTurn")]
    public sealed record ChatTurn
    {
        public string Role { get; init; } = "";
        public string Content { get; init; } = "";
    }

    [MessageUrn("bridge:TeacherTurnGenerated")]
    public sealed record TeacherTurnGenerated
    {
        public string Response { get; init; } = "";
    }
}

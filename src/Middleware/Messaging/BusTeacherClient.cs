using MassTransit;
using Microsoft.Extensions.Options;
using Middleware.Messaging.Contracts;
using Middleware.Sessions;
using Middleware.Teachers;

namespace Middleware.Messaging;

/// <summary>Teacher turns as request/response over RabbitMQ: <see cref="GenerateTeacherTurn"/> to LlmServer's queue,
/// <see cref="TeacherTurnGenerated"/> back. A timeout or fault is transient to the session loop, which retries.
/// MassTransit's request timeout does not reliably fire while the transport is reconnecting, so the whole request also
/// runs under a hard <see cref="Deadline"/> of the same length.</summary>
public sealed class BusTeacherClient(IClientFactory clientFactory, IOptions<MiddlewareOptions> options) : ITeacherClient
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.TeacherTimeoutSeconds);

    private readonly IRequestClient<GenerateTeacherTurn> _client = clientFactory.CreateRequestClient<GenerateTeacherTurn>(
        new Uri($"queue:{BrokerNames.TeacherTurnsQueue}"),
        RequestTimeout.After(s: (int)Math.Ceiling(options.Value.TeacherTimeoutSeconds)));

    public async Task<TeacherTurn> GenerateTurnAsync(TeacherTurnRequest request, CancellationToken cancellationToken)
    {
        var message = new GenerateTeacherTurn
        {
            SessionId = request.SessionId,
            Sequence = request.Sequence,
            Topic = request.Topic,
            Message = request.Message,
            History = [.. request.History.Select(t => new ChatTurn { Role = t.Role, Content = t.Content })],
            Provider = request.Provider,
            Model = request.Model,
        };

        // A request nobody answered in time expires in the queue, so an LlmServer that comes back after an outage
        // does not work through turns the session has already retried.
        var response = await Deadline.RunAsync(
            $"bus request {nameof(GenerateTeacherTurn)}",
            _timeout,
            token => _client.GetResponse<TeacherTurnGenerated>(message, request => request.TimeToLive = _timeout, token),
            cancellationToken);
        var turn = response.Message;
        if (string.IsNullOrWhiteSpace(turn.Response))
        {
            throw new TeacherUnavailableException("LlmServer answered with an empty teacher turn.");
        }

        return new TeacherTurn(turn.Response, turn.Model, turn.Provider, turn.DurationMs);
    }
}

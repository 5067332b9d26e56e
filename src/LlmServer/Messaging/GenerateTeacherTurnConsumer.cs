using LlmServer.Apis;
using LlmServer.Messaging.Contracts;
using LlmServer.Teachers;
using MassTransit;

namespace LlmServer.Messaging;

/// <summary>Answers a <see cref="GenerateTeacherTurn"/> with the teacher chain, exactly as <c>POST /api/chat</c> does.</summary>
public sealed class GenerateTeacherTurnConsumer(TeacherChain chain, ILogger<GenerateTeacherTurnConsumer> logger) : IConsumer<GenerateTeacherTurn>
{
    public async Task Consume(ConsumeContext<GenerateTeacherTurn> context)
    {
        var turn = context.Message;
        var history = (turn.History ?? []).OfType<ChatTurn>().Select(t => (ChatTurnDto?)new ChatTurnDto(t.Role, t.Content)).ToList();
        var topic = string.IsNullOrWhiteSpace(turn.Topic) ? null : turn.Topic.Trim();
        var request = new ChatRequest(turn.Message ?? string.Empty, history, topic, turn.Model, turn.Provider);

        // The same limits and mapping as the HTTP API; a request that breaks them can never succeed, so it faults without retries.
        var errors = ChatRequestValidator.Validate(request, chain);
        if (errors.Count > 0)
        {
            throw new InvalidTeacherTurnException(string.Join(" ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))));
        }

        var answer = await chain.AnswerAsync(request.ToTeacherRequest(), context.CancellationToken);

        logger.LogInformation("Teacher turn {SessionId}/{Sequence} answered by {Provider} ({Model}) in {ElapsedMs} ms",
            turn.SessionId, turn.Sequence, answer.Provider, answer.Model, answer.DurationMs);
        await context.RespondAsync(new TeacherTurnGenerated
        {
            SessionId = turn.SessionId,
            Sequence = turn.Sequence,
            Response = answer.Response,
            Model = answer.Model,
            Provider = answer.Provider,
            DurationMs = answer.DurationMs,
        });
    }
}

/// <summary>A teacher-turn request that breaks the contract's limits; retrying it cannot help.</summary>
public sealed class InvalidTeacherTurnException(string message) : ArgumentException(message);

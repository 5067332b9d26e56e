using MassTransit;
using Middleware.Messaging.Contracts;

namespace Middleware.Tests.Doubles;

/// <summary>LlmServer's side of the bus contract: answers <see cref="GenerateTeacherTurn"/> with <see cref="TeacherTurnGenerated"/>.</summary>
public sealed class TeacherTurnsConsumerDouble : IConsumer<GenerateTeacherTurn>
{
    public Task Consume(ConsumeContext<GenerateTeacherTurn> context) => context.RespondAsync(new TeacherTurnGenerated
    {
        SessionId = context.Message.SessionId,
        Sequence = context.Message.Sequence,
        Response = $"Bus teacher turn {context.Message.Sequence} about {context.Message.Topic}.",
        Model = "double",
        Provider = "embedded",
        DurationMs = 1,
    });
}

using MassTransit;

namespace LlmServer.Messaging.Contracts;

/// <summary>A request for the teacher's next line; answered with <see cref="TeacherTurnGenerated"/>.</summary>
[MessageUrn("bridge:GenerateTeacherTurn")]
public sealed record GenerateTeacherTurn
{
    public Guid SessionId { get; init; }

    public int Sequence { get; init; }

    public string Topic { get; init; } = "";

    public string Message { get; init; } = "";

    public IReadOnlyList<ChatTurn> History { get; init; } = [];

    public string? Model { get; init; }

    public string? Provider { get; init; }
}

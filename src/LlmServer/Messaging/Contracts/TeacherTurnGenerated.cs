using MassTransit;

namespace LlmServer.Messaging.Contracts;

/// <summary>The teacher's line for a <see cref="GenerateTeacherTurn"/>, and which provider and model produced it.</summary>
[MessageUrn("bridge:TeacherTurnGenerated")]
public sealed record TeacherTurnGenerated
{
    public Guid SessionId { get; init; }

    public int Sequence { get; init; }

    public string Response { get; init; } = "";

    public string Model { get; init; } = "";

    public string Provider { get; init; } = "";

    public long DurationMs { get; init; }
}

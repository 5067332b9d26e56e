using MassTransit;

namespace Middleware.Messaging.Contracts;

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

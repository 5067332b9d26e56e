using MassTransit;

// The requesting side's own copies of the contracts, as another service would declare them: other namespace, same URNs.
// Messages built from these must reach LlmServer's consumer, and its answer must read back into them.
namespace LlmServer.Tests.Messaging.RequesterCopy;

[MessageUrn("bridge:ChatTurn")]
public sealed record ChatTurn(string Role, string Content);

[MessageUrn("bridge:GenerateTeacherTurn")]
public sealed record GenerateTeacherTurn(Guid SessionId, int Sequence, string Topic, string Message, IReadOnlyList<ChatTurn> History, string? Model, string? Provider);

[MessageUrn("bridge:TeacherTurnGenerated")]
public sealed record TeacherTurnGenerated(Guid SessionId, int Sequence, string Response, string Model, string Provider, long DurationMs);

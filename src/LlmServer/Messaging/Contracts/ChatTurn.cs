using MassTransit;

namespace LlmServer.Messaging.Contracts;

/// <summary>One line of the conversation: <c>user</c> is the learner, <c>assistant</c> the teacher.</summary>
[MessageUrn("bridge:ChatTurn")]
public sealed record ChatTurn
{
    public string Role { get; init; } = "";

    public string Content { get; init; } = "";
}

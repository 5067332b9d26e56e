using MassTransit;

namespace Middleware.Messaging.Contracts;

[MessageUrn("bridge:ChatTurn")]
public sealed record ChatTurn
{
    public string Role { get; init; } = "";
    public string Content { get; init; } = "";
}

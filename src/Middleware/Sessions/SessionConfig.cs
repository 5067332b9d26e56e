namespace Middleware.Sessions;

/// <summary>What a session was asked to do; fixed when it starts.</summary>
public sealed record SessionConfig(int MaxExchanges, double Delay, IReadOnlyList<string> Topics, int TopicSwitchInterval)
{
    /// <summary>Topics rotate every <see cref="TopicSwitchInterval"/> exchanges; sequence numbers start at 1.</summary>
    public string TopicFor(int sequence) =>
        Topics[(Math.Max(sequence, 1) - 1) / TopicSwitchInterval % Topics.Count];
}

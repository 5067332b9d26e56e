namespace Middleware.Sessions;

/// <summary>What a session was asked to do; fixed when it starts.</summary>
/// <param name="Teachers">The session's own teacher pool (<c>provider/model</c>); null: <c>Training:Teachers</c>. Kept by the teacher record.</param>
/// <param name="Routing">How it chooses among them; null: <c>Training:Routing</c>.</param>
/// <param name="Curriculum"><c>rotation</c> or <c>adaptive</c>; null: <c>Training:Curriculum</c>.</param>
public sealed record SessionConfig(
    int MaxExchanges,
    double Delay,
    IReadOnlyList<string> Topics,
    int TopicSwitchInterval,
    IReadOnlyList<string>? Teachers = null,
    string? Routing = null,
    string? Curriculum = null)
{
    /// <summary>Topics rotate every <see cref="TopicSwitchInterval"/> exchanges; sequence numbers start at 1.</summary>
    public string TopicFor(int sequence) =>
        Topics[(Math.Max(sequence, 1) - 1) / TopicSwitchInterval % Topics.Count];
}

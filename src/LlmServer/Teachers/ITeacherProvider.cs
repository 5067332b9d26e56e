using Microsoft.Extensions.AI;

namespace LlmServer.Teachers;

/// <summary>One backend that can speak as the teacher, behind <see cref="IChatClient"/>.</summary>
public interface ITeacherProvider
{
    string Name { get; }

    string DefaultModel { get; }

    /// <summary>Why the provider cannot be used as configured (a missing key, say), or null when it can.</summary>
    string? ConfigurationProblem { get; }

    IChatClient ChatClient { get; }

    /// <summary>Asks the backend whether it answers and which models it has. Never throws for an unreachable backend.</summary>
    Task<ProviderProbe> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Turns a failed call into a sentence an operator can act on (no secrets).</summary>
    string DescribeFailure(Exception exception, string model) => exception.Message;
}

/// <summary>What a reachability check found. <paramref name="Usable"/> is false when the backend answers but cannot serve the default model.</summary>
public sealed record ProviderProbe(bool Reachable, bool Usable, IReadOnlyList<string> Models, string? Detail)
{
    public static ProviderProbe Unreachable(string detail) => new(false, false, [], detail);
}

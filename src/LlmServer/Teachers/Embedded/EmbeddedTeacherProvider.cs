using Microsoft.Extensions.AI;

namespace LlmServer.Teachers.Embedded;

/// <summary>Always configured, always reachable: the teacher of last resort, labelled as such in every answer.</summary>
public sealed class EmbeddedTeacherProvider(EmbeddedTeacher teacher, TopicLibrary library) : ITeacherProvider
{
    public string Name => ProviderNames.Embedded;

    public string DefaultModel => EmbeddedTeacher.ModelName;

    public string? ConfigurationProblem => null;

    public IChatClient ChatClient { get; } = new EmbeddedChatClient(teacher);

    public Task<ProviderProbe> ProbeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ProviderProbe(true, true, [EmbeddedTeacher.ModelName],
            $"offline teacher built into LlmServer; topics: {string.Join(", ", library.Topics.Select(topic => topic.Name))}"));
}

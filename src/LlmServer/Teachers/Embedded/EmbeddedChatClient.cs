using Microsoft.Extensions.AI;

namespace LlmServer.Teachers.Embedded;

/// <summary>The embedded teacher behind <see cref="IChatClient"/>, so the chain treats it like any model.</summary>
public sealed class EmbeddedChatClient(EmbeddedTeacher teacher) : IChatClient
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> that carries the requested topic.</summary>
    public const string TopicProperty = "bridge_topic";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var turns = messages
            .Where(message => message.Role != ChatRole.System)
            .Select(message => new TeacherTurn(message.Role == ChatRole.Assistant ? TeacherTurn.Teacher : TeacherTurn.Learner, message.Text))
            .ToList();

        // The learner's latest line is the last user turn; everything before it is history.
        var lastLearner = turns.FindLastIndex(turn => turn.IsLearner);
        var message = lastLearner >= 0 ? turns[lastLearner].Content : string.Empty;
        var history = lastLearner >= 0 ? turns.Take(lastLearner).ToList() : turns;
        var topic = options?.AdditionalProperties?.TryGetValue(TopicProperty, out var value) == true ? value?.ToString() : null;

        var reply = teacher.Reply(topic, history, message);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = EmbeddedTeacher.ModelName,
            FinishReason = ChatFinishReason.Stop,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}

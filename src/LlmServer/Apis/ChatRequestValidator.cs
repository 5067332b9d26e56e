using LlmServer.Teachers;

namespace LlmServer.Apis;

/// <summary>The limits of <c>POST /api/chat</c>; errors are keyed by the snake_case field name the caller sent.</summary>
public static class ChatRequestValidator
{
    public const int MaxMessageLength = 4000;
    public const int MaxHistoryTurns = 200;
    public const int MaxTurnLength = 8000;
    public const int MaxTopicLength = 200;
    public const int MaxModelLength = 200;

    public static Dictionary<string, string[]> Validate(ChatRequest request, TeacherChain chain)
    {
        var errors = new Dictionary<string, string[]>();

        if (request.Message is null)
        {
            errors["message"] = ["'message' is required: the learner's latest line (may be empty to let the teacher open)."];
        }
        else if (request.Message.Length > MaxMessageLength)
        {
            errors["message"] = [$"'message' must be at most {MaxMessageLength} characters; it has {request.Message.Length}."];
        }

        foreach (var (key, messages) in ValidateHistoryAndTopic(request.History, request.Topic))
        {
            errors[key] = messages;
        }

        if (request.Model is not null && (request.Model.Length > MaxModelLength || string.IsNullOrWhiteSpace(request.Model)))
        {
            errors["model"] = [$"'model' must be a model name of 1 to {MaxModelLength} characters, or left out."];
        }

        if (request.Provider is not null)
        {
            var provider = chain.Find(request.Provider);
            if (provider is null)
            {
                errors["provider"] = [$"Unknown provider '{request.Provider}'. Known: {string.Join(", ", ProviderNames.All)}."];
            }
            else if (provider.ConfigurationProblem is { } problem)
            {
                errors["provider"] = [$"Provider '{provider.Name}' is not configured: {problem}"];
            }
        }

        return errors;
    }

    /// <summary>The checks of a conversation history and a topic, shared by every endpoint that takes them.</summary>
    public static Dictionary<string, string[]> ValidateHistoryAndTopic(IReadOnlyList<ChatTurnDto?>? history, string? topic)
    {
        var errors = new Dictionary<string, string[]>();
        if (history is { Count: > MaxHistoryTurns })
        {
            errors["history"] = [$"'history' may hold at most {MaxHistoryTurns} turns; it has {history.Count}. Send the recent ones."];
        }
        else if (history is not null)
        {
            for (var i = 0; i < history.Count; i++)
            {
                var turn = history[i];
                if (turn is null)
                {
                    errors[$"history[{i}]"] = ["A history turn must be an object with 'role' and 'content'."];
                    continue;
                }

                if (turn.Role is null || !TeacherTurn.Roles.Contains(turn.Role, StringComparer.OrdinalIgnoreCase))
                {
                    errors[$"history[{i}].role"] = [$"'role' must be one of {string.Join(", ", TeacherTurn.Roles)} (the teacher is 'assistant', the learner 'user')."];
                }

                if (turn.Content is null)
                {
                    errors[$"history[{i}].content"] = ["'content' is required."];
                }
                else if (turn.Content.Length > MaxTurnLength)
                {
                    errors[$"history[{i}].content"] = [$"'content' must be at most {MaxTurnLength} characters."];
                }
            }
        }

        if (topic is { Length: > MaxTopicLength })
        {
            errors["topic"] = [$"'topic' must be at most {MaxTopicLength} characters."];
        }

        return errors;
    }
}

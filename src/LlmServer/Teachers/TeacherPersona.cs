using LlmServer.Teachers.Embedded;

namespace LlmServer.Teachers;

/// <summary>
/// The system prompt that keeps a model teacher a patient conversation partner for a beginner, per topic. The topic
/// scripts of the embedded teacher also say what each topic is about, so both teachers steer the same way.
/// </summary>
public sealed class TeacherPersona(TopicLibrary library)
{
    public string For(string? topic, IReadOnlyList<TeacherTurn> history, string message)
    {
        var script = library.Resolve(topic, history.Where(turn => turn.IsLearner).Select(turn => turn.Content).Append(message));
        var focus = string.IsNullOrWhiteSpace(script.Persona) ? string.Empty : $" {script.Persona}";
        return $"""
            You are a patient, friendly conversation partner for a learner who is just beginning to speak English.
            Today's topic is {script.Title}.{focus}
            Keep every turn short: one or two short sentences, then at most one simple question.
            Use simple, common words and short sentences first; use longer ones only when the learner does.
            Build on what the learner just said: pick up their words, answer what they asked, and go one small step further.
            If the learner's words are broken or unclear, do not correct them harshly; say a clear, simple version and carry on.
            Stay on the topic, be warm and encouraging, and never use lists, markdown or emojis.
            """;
    }
}

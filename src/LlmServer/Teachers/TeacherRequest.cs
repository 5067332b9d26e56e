namespace LlmServer.Teachers;

/// <summary>One turn asked of the teacher: the learner's latest line, what was said before, and optional choices.</summary>
public sealed record TeacherRequest(string Message, IReadOnlyList<TeacherTurn> History, string? Topic, string? Model = null, string? Provider = null);

/// <summary>The teacher's line and who produced it.</summary>
public sealed record TeacherAnswer(string Response, string Model, string Provider, long DurationMs);

/// <summary>Every provider that was asked failed or was unusable; each entry says why.</summary>
public sealed class TeacherUnavailableException(IReadOnlyList<string> failures)
    : Exception($"No teacher could answer: {string.Join("; ", failures)}")
{
    public IReadOnlyList<string> Failures { get; } = failures;
}

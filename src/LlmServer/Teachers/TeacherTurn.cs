namespace LlmServer.Teachers;

/// <summary>A turn of the conversation as the teacher sees it: the teacher is the assistant, the learner the user.</summary>
public sealed record TeacherTurn(string Role, string Content)
{
    public const string Learner = "user";
    public const string Teacher = "assistant";
    public const string System = "system";

    public static IReadOnlyList<string> Roles { get; } = [Learner, Teacher, System];

    public bool IsLearner => Role.Equals(Learner, StringComparison.OrdinalIgnoreCase);

    public bool IsTeacher => Role.Equals(Teacher, StringComparison.OrdinalIgnoreCase);
}

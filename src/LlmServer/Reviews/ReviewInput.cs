using LlmServer.Teachers;

namespace LlmServer.Reviews;

/// <summary>One learner reply to judge: the teacher's line it answers, the topic, and the conversation before it.</summary>
public sealed record ReviewInput(string? Topic, string TeacherMessage, string LearnerReply, IReadOnlyList<TeacherTurn> History);

/// <summary>What a reviewer found. <paramref name="Score"/> is the rubric's weighted score of <paramref name="Dimensions"/>.</summary>
public sealed record Review(
    double Score,
    string Verdict,
    IReadOnlyDictionary<string, double> Dimensions,
    IReadOnlyList<string> Reasons,
    string BetterReply,
    string Reviewer)
{
    /// <summary>Set when a judge was asked but its answer could not be used, so the rules answered instead.</summary>
    public string? FallbackReason { get; init; }

    public long DurationMs { get; init; }
}

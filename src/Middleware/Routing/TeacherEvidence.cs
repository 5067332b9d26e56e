namespace Middleware.Routing;

/// <summary>One attempt at a teacher turn as the bandit sees it: when (the record's id orders attempts across
/// sessions), in which topic, whether the teacher answered, and what the answer earned.</summary>
public sealed record TeacherOutcome(long Id, string Topic, bool Answered, double? Reward);

/// <summary>Each teacher's latest attempts, oldest first: what the bandit learns from.</summary>
public sealed record TeacherEvidence(IReadOnlyDictionary<string, IReadOnlyList<TeacherOutcome>> Attempts)
{
    public IReadOnlyList<TeacherOutcome> Of(string teacher) => Attempts.GetValueOrDefault(teacher) ?? [];

    /// <summary>Turns the other teachers answered since <paramref name="teacher"/> was last asked: how long it has
    /// been left alone. A teacher never asked has been left alone for ever.</summary>
    public int AnsweredSinceLastAsked(string teacher)
    {
        if (Of(teacher) is not [.., var last])
        {
            return int.MaxValue;
        }

        return Attempts.Where(a => a.Key != teacher).Sum(a => a.Value.Count(o => o.Answered && o.Id > last.Id));
    }
}

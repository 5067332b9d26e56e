namespace Middleware.Routing;

/// <summary>The per-teacher record: turns answered, failed attempts, latency, reward, share of the latest turns and
/// the same by topic; with a session, also its timeline (which teacher answered each exchange and what it earned).</summary>
public sealed record TeacherRecordResponse(Guid? SessionId, IReadOnlyList<TeacherStats> Teachers, IReadOnlyList<TeacherTimelinePoint>? Timeline)
{
    public static TeacherRecordResponse From(Guid? sessionId, IEnumerable<string> pool, IReadOnlyList<TeacherTurnRecord> attempts, int recentTurns)
    {
        var answered = attempts.Where(a => a.IsAnswer).ToList();
        var recent = answered.TakeLast(recentTurns).ToList();
        var names = pool.Concat(attempts.Select(a => a.Teacher)).Distinct().ToList();
        var teachers = names.Select(name =>
        {
            var mine = attempts.Where(a => a.Teacher == name).ToList();
            return new TeacherStats(
                name,
                Turns: mine.Count(a => a.IsAnswer),
                Failures: mine.Count(a => !a.IsAnswer),
                MeanLatencyMs: Mean(mine.Where(a => a.IsAnswer).Select(a => (double)a.LatencyMs), 0),
                MeanReward: Mean(mine.Where(a => a.IsAnswer && a.Reward is not null).Select(a => a.Reward!.Value), 4),
                ShareRecent: recent.Count == 0 ? 0 : Math.Round((double)recent.Count(a => a.Teacher == name) / recent.Count, 4),
                ByTopic: mine.GroupBy(a => a.Topic).ToDictionary(g => g.Key, g => new TeacherTopicStats(
                    g.Count(a => a.IsAnswer),
                    g.Count(a => !a.IsAnswer),
                    Mean(g.Where(a => a.IsAnswer && a.Reward is not null).Select(a => a.Reward!.Value), 4))));
        }).ToList();

        var timeline = sessionId is null
            ? null
            : answered.Select(a => new TeacherTimelinePoint(a.Sequence, a.Teacher, a.Reward, a.Reviewed, a.TeacherScore, a.LearnerScore)).ToList();
        return new TeacherRecordResponse(sessionId, teachers, timeline);
    }

    private static double? Mean(IEnumerable<double> values, int digits)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : Math.Round(list.Average(), digits);
    }
}

public sealed record TeacherStats(
    string Teacher,
    int Turns,
    int Failures,
    double? MeanLatencyMs,
    double? MeanReward,
    double ShareRecent,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(VerbatimKeysConverter<TeacherTopicStats>))] IReadOnlyDictionary<string, TeacherTopicStats> ByTopic);

public sealed record TeacherTopicStats(int Turns, int Failures, double? MeanReward);

/// <summary>One answered exchange: who taught it, what it earned, and the two review scores the reward was built from
/// (the teacher-turn rating is missing when the reviewer did not send one).</summary>
public sealed record TeacherTimelinePoint(int Sequence, string Teacher, double? Reward, bool Reviewed, double? TeacherScore, double? LearnerScore);

namespace Middleware.Routing;

/// <summary>
/// Whether a teacher answers, kept apart from how well it teaches. A run of at least <c>OutageAfter</c> failed
/// attempts is an outage: while it lasts the teacher is <see cref="Down"/> and is only probed, on a schedule; once
/// the teacher answers again the outage is forgotten, because it said when the teacher was reachable, not how
/// good its turns are. Shorter runs of failures are flakiness, and count against <see cref="Rate"/>: the share of
/// attempts answered, the newest weighing most (<c>Discount</c> per older attempt), starting from one answered
/// pseudo-attempt so an untried teacher is not taken for a broken one.
/// </summary>
public sealed record TeacherAvailability(double Rate, int FailuresInARow, bool Down, int AnsweredSinceLastAsked, int ProbeInterval)
{
    /// <summary>A teacher that is down, and has been left alone for its probe interval: ask it once.</summary>
    public bool ProbeDue => Down && AnsweredSinceLastAsked >= ProbeInterval;

    public static TeacherAvailability Of(string teacher, TeacherEvidence evidence, RoutingOptions options)
    {
        var attempts = evidence.Of(teacher);
        var remembered = Remembered(attempts, options.OutageAfter);
        double answered = 1, weight = 1, w = 1;
        for (var i = remembered.Count - 1; i >= 0; i--, w *= options.Discount)
        {
            answered += w * (remembered[i] ? 1 : 0);
            weight += w;
        }

        var inARow = 0;
        for (var i = attempts.Count - 1; i >= 0 && !attempts[i].Answered; i--)
        {
            inARow++;
        }

        var down = inARow >= options.OutageAfter;
        // Each failed probe doubles the wait before the next, up to ProbeMaxInterval: a teacher that stays away
        // costs the session little, and one that comes back is found within a bounded number of turns.
        var failedProbes = Math.Min(Math.Max(inARow - options.OutageAfter, 0), 20);
        var interval = (int)Math.Min(options.ProbeInterval * Math.Pow(2, failedProbes), options.ProbeMaxInterval);
        return new TeacherAvailability(answered / weight, inARow, down, evidence.AnsweredSinceLastAsked(teacher), interval);
    }

    /// <summary>The outcomes that count: every attempt, except the failures of an outage the teacher has come back from.</summary>
    private static List<bool> Remembered(IReadOnlyList<TeacherOutcome> attempts, int outageAfter)
    {
        var remembered = new List<bool>(attempts.Count);
        var run = 0;
        foreach (var attempt in attempts)
        {
            if (!attempt.Answered)
            {
                run++;
                remembered.Add(false);
                continue;
            }

            if (run >= outageAfter)
            {
                remembered.RemoveRange(remembered.Count - run, run);
            }

            run = 0;
            remembered.Add(true);
        }

        return remembered;
    }
}

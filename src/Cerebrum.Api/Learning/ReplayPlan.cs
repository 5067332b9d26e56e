namespace Cerebrum.Api.Learning;

/// <summary>The parts of learning an exchange that a replay may skip for old exchanges.</summary>
public readonly record struct ObserveParts(bool ScoreHeldOut, bool MeasureReply)
{
    public static readonly ObserveParts All = new(true, true);
}

/// <summary>
/// What a replay on start can leave out without changing the state it ends in: the reply metrics of exchanges before
/// index <see cref="MeasureRepliesFrom"/> (every window they feed, <see cref="LearnerMemory.ReplyWindow"/> exchanges at
/// most, has dropped them by the end) and the held-out scores of messages before sequence
/// <see cref="ScoreHeldOutFrom"/> (the newer held-out messages fill the held-out window); those are still counted.
/// Scoring and reply checks were about half the cost of replaying a large store.
/// </summary>
public sealed record ReplayPlan(long MeasureRepliesFrom, long ScoreHeldOutFrom)
{
    /// <summary>Replays everything (nothing known about the store).</summary>
    public static readonly ReplayPlan Everything = new(0, 0);

    public ObserveParts For(long index, long sequence) => new(sequence >= ScoreHeldOutFrom, index >= MeasureRepliesFrom);

    /// <summary>The plan for a store of <paramref name="exchanges"/> exchanges, from its held-out messages newest
    /// first (read only until their sentences fill the held-out window).</summary>
    public static async Task<ReplayPlan> CreateAsync(long exchanges, int replyWindow,
        IAsyncEnumerable<(long Sequence, string Message)> heldOutNewestFirst, CancellationToken cancellationToken)
    {
        long scoreFrom = 0;
        var sentences = 0;
        await foreach (var (sequence, message) in heldOutNewestFirst.WithCancellation(cancellationToken))
        {
            sentences += Tokenizer.Sentences(message).Count;
            if (sentences >= LearnerMemory.HeldOutWindow)
            {
                scoreFrom = sequence;
                break;
            }
        }

        return new ReplayPlan(Math.Max(0, exchanges - replyWindow), scoreFrom);
    }
}

using Microsoft.Extensions.Options;
using Middleware.Reviews;

namespace Middleware.Routing;

/// <summary>Turns the review of an exchange into the reward of the teacher turn that started it.</summary>
public sealed class TeacherRewardObserver(TeacherRecordStore store, IOptions<RoutingOptions> options) : IReviewObserver
{
    public async Task OnReviewedAsync(ReviewRecord review, LlmTeacherTurnRating? teacherTurn, CancellationToken cancellationToken)
    {
        var answered = (await store.AttemptsAsync(review.SessionId, review.Sequence, cancellationToken)).LastOrDefault(a => a.IsAnswer);
        if (answered is null)
        {
            return; // LlmServer's own chain answered this session: there is no pool to learn for.
        }

        var teacherScore = teacherTurn is { } rating && double.IsFinite(rating.Score) ? Math.Clamp(rating.Score, 0, 1) : (double?)null;
        var learnerScore = review.Score;
        if (teacherScore is null && learnerScore is null)
        {
            return; // Unreviewed: the provisional reward (latency only) stands.
        }

        await store.SetRewardAsync(answered.Id, teacherScore, learnerScore,
            TeacherReward.Of(teacherScore, learnerScore, answered.LatencyMs, options.Value), cancellationToken);
    }
}

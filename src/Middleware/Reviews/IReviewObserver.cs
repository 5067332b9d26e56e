namespace Middleware.Reviews;

/// <summary>Told of every review the review step stores (teacher routing learns from them); a failing observer
/// is logged and never stops the review or the session.</summary>
public interface IReviewObserver
{
    Task OnReviewedAsync(ReviewRecord review, LlmTeacherTurnRating? teacherTurn, CancellationToken cancellationToken);
}

using Microsoft.Extensions.Options;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Reviews;

/// <summary>
/// The review step of the exchange loop: asks the teacher's side to review the learner's reply (retrying with
/// backoff; after <c>Reviews:Attempts</c> the exchange is marked unreviewed and the session goes on), adds the reward
/// and its EMA-normalised value, stores it, and queues the feedback for Cerebrum.
/// </summary>
public sealed class ExchangeReviewer(
    ReviewStore reviews,
    SessionStore sessions,
    IReviewClient client,
    FeedbackSignal feedback,
    IOptions<ReviewOptions> options,
    IOptions<MiddlewareOptions> middleware,
    TimeProvider time,
    ILogger<ExchangeReviewer> logger,
    IEnumerable<IReviewObserver>? observers = null)
{
    private readonly ReviewOptions _options = options.Value;

    public bool Enabled => _options.Enabled;

    /// <summary>
    /// Whether an exchange's review may run while the next exchange does. Over HTTP it may. Over RabbitMQ it stays on
    /// the exchange's path: in the broker-restart drill, a restart that caught LlmServer's review consumer mid-review
    /// left that receive endpoint idle for over a minute (MassTransit 8.5), and a review in flight during every teacher
    /// turn makes that likely; on the path, a review is in flight only between a reply and the next turn.
    /// </summary>
    public bool OverlapsNextExchange => client is not BusReviewClient;

    /// <summary>Reviews the session's latest completed exchange; null when reviews are off.</summary>
    public async Task<ExchangeReviewView?> ReviewLatestAsync(Guid sessionId, IReadOnlyList<ExchangeRecord> exchanges, CancellationToken cancellationToken)
    {
        var latest = exchanges.LastOrDefault(e => e.IsComplete);
        if (!Enabled || latest is null)
        {
            return null;
        }

        try
        {
            return (await ReviewAsync(sessionId, exchanges, latest, cancellationToken)).ToView();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Even the review store failing must not stop the session; the restart catch-up reviews the exchange later.
            logger.LogWarning(ex, "Exchange {ExchangeId}: its review could not be stored; the session goes on", latest.ExchangeId);
            return null;
        }
    }

    /// <summary>Reviews every completed exchange that has no review yet (after a crash between reply and review).</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return 0;
        }

        var reviewed = 0;
        foreach (var group in (await reviews.UnreviewedExchangesAsync(cancellationToken)).GroupBy(m => m.SessionId))
        {
            foreach (var (_, sequence) in group)
            {
                // The exchange and the ones before it that may travel as its history.
                var window = await sessions.GetCompletedExchangesAsync(
                    group.Key, Math.Max(0, sequence - 1 - _options.HistoryExchanges), _options.HistoryExchanges + 1, cancellationToken);
                var exchanges = window.Select(e => new ExchangeRecord(
                    e.Sequence, e.ExchangeId, e.Topic, e.Teacher, e.Timestamp, e.Learner, e.LearnerPhase, e.LearnerObservations, e.Timestamp)).ToList();
                var exchange = exchanges.FirstOrDefault(e => e.Sequence == sequence && e.IsComplete);
                if (exchange is not null)
                {
                    await ReviewAsync(group.Key, exchanges, exchange, cancellationToken);
                    reviewed++;
                }
            }
        }

        if (reviewed > 0)
        {
            logger.LogInformation("Reviewed {Count} exchange(s) that a restart had left without a review", reviewed);
        }

        return reviewed;
    }

    private async Task<ReviewRecord> ReviewAsync(Guid sessionId, IReadOnlyList<ExchangeRecord> exchanges, ExchangeRecord exchange, CancellationToken cancellationToken)
    {
        if (await reviews.GetAsync(exchange.ExchangeId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var request = BuildRequest(exchanges, exchange);
        LlmReviewResponse? response = null;
        string? error = null;
        for (var attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            try
            {
                // A hard deadline, not just a cancelled token: a bus request made while the broker is away may never
                // observe its token, and the session waits for this review.
                response = Validate(await Deadline.RunAsync(
                    "reviewer", TimeSpan.FromSeconds(_options.TimeoutSeconds), token => client.ReviewAsync(request, token), cancellationToken));
                break;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"reviewer: {TransientErrors.Describe(ex)}";
                var transient = ex is InvalidDataException || TransientErrors.IsTransient(ex, cancellationToken);
                if (!transient || attempt == _options.Attempts)
                {
                    logger.LogWarning("Exchange {ExchangeId} left unreviewed after {Attempts} attempt(s): {Error}", exchange.ExchangeId, attempt, error);
                    break;
                }

                var delay = Extensions.ApplicationServiceExtensions.Backoff(attempt, middleware.Value);
                logger.LogWarning("Review of exchange {ExchangeId} failed: {Error}; retry {Attempt} in {DelaySeconds:0.##} s", exchange.ExchangeId, error, attempt, delay.TotalSeconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }

        var record = response is null ? Unreviewed(sessionId, exchange, error) : await ReviewedAsync(sessionId, exchange, response, cancellationToken);
        await reviews.AddAsync(record, cancellationToken);
        if (record.FeedbackPending)
        {
            feedback.Notify();
        }

        await NotifyObserversAsync(record, response?.TeacherTurn, cancellationToken);

        return await reviews.GetAsync(exchange.ExchangeId, cancellationToken) ?? record;
    }

    private async Task NotifyObserversAsync(ReviewRecord record, LlmTeacherTurnRating? teacherTurn, CancellationToken cancellationToken)
    {
        foreach (var observer in observers ?? [])
        {
            try
            {
                await observer.OnReviewedAsync(record, teacherTurn, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Exchange {ExchangeId}: a review observer failed", record.ExchangeId);
            }
        }
    }

    private LlmReviewRequest BuildRequest(IReadOnlyList<ExchangeRecord> exchanges, ExchangeRecord exchange)
    {
        // The same-topic exchanges just before this one, oldest first, as the teacher saw them.
        var earlier = new List<ExchangeRecord>();
        var index = exchanges.ToList().FindIndex(e => e.Sequence == exchange.Sequence);
        for (var i = index - 1; i >= 0 && earlier.Count < _options.HistoryExchanges; i--)
        {
            if (!exchanges[i].IsComplete || exchanges[i].Topic != exchange.Topic)
            {
                break;
            }

            earlier.Insert(0, exchanges[i]);
        }

        var history = earlier
            .SelectMany(e => new[] { new LlmReviewTurn("assistant", e.Teacher), new LlmReviewTurn("user", e.Learner!) })
            .ToList();
        var reviewer = _options.Mode.Equals(ReviewOptions.Rules, StringComparison.OrdinalIgnoreCase) ? ReviewOptions.Rules : null;
        return new LlmReviewRequest(exchange.Topic, exchange.Teacher, exchange.Learner ?? string.Empty, history, reviewer, exchange.ExchangeId);
    }

    /// <summary>A review whose numbers are out of range is as unusable as none; asking again may give a good one.</summary>
    private static LlmReviewResponse Validate(LlmReviewResponse response)
    {
        if (double.IsNaN(response.Score) || response.Score is < 0 or > 1 || string.IsNullOrWhiteSpace(response.Verdict))
        {
            throw new InvalidDataException($"the reviewer answered score {response.Score} and verdict '{response.Verdict}'");
        }

        return response;
    }

    private async Task<ReviewRecord> ReviewedAsync(Guid sessionId, ExchangeRecord exchange, LlmReviewResponse response, CancellationToken cancellationToken)
    {
        var previous = await reviews.LatestRewardAsync(sessionId, cancellationToken);
        var reward = RewardNormalizer.Reward(response.Score);
        var (normalized, mean, variance) = RewardNormalizer.Next(reward, previous?.EmaMean, previous?.EmaVariance, _options.EmaAlpha);
        var source = _options.Mode.Equals(ReviewOptions.Rules, StringComparison.OrdinalIgnoreCase) ? ExchangeReviewView.FromRules : ExchangeReviewView.FromTeacher;
        var better = string.IsNullOrWhiteSpace(response.BetterReply) ? null : response.BetterReply.Trim();
        return new ReviewRecord(
            exchange.ExchangeId, sessionId, exchange.Sequence, exchange.Topic, exchange.LearnerPhase ?? string.Empty,
            ExchangeReviewView.Reviewed, source, Math.Round(response.Score, 4), response.Verdict, response.Dimensions, response.Reasons,
            better, response.Reviewer, response.Fallback ? response.FallbackReason ?? "fallback" : null,
            reward, normalized, mean, variance, null, time.GetUtcNow(),
            null, null, null, null,
            FeedbackVersion: 1, DeliveredVersion: 0,
            FeedbackScore: FeedbackScale.FromReviewScore(response.Score), FeedbackCorrection: better,
            DeliveredAt: null, FeedbackError: null);
    }

    private ReviewRecord Unreviewed(Guid sessionId, ExchangeRecord exchange, string? error) => new(
        exchange.ExchangeId, sessionId, exchange.Sequence, exchange.Topic, exchange.LearnerPhase ?? string.Empty,
        ExchangeReviewView.Unreviewed, ExchangeReviewView.FromTeacher, null, null, null, null, null, null, null,
        null, null, null, null, error ?? "the reviewer did not answer", time.GetUtcNow(),
        null, null, null, null, 0, 0, null, null, null, null);
}

/// <summary>Cerebrum takes feedback scores from 0 (poor) to 1 (good), as a review scores; a person's approval is 1, a denial 0.</summary>
public static class FeedbackScale
{
    public static double FromReviewScore(double score) => Math.Round(Math.Clamp(score, 0, 1), 4);

    public static double FromHuman(bool approved) => approved ? 1 : 0;
}

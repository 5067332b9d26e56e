using System.Net;
using Middleware.Infrastructure;
using Middleware.Sessions;
using Microsoft.Extensions.Options;

namespace Middleware.Reviews;

/// <summary>
/// Delivers the reviews' feedback to Cerebrum from the review table, the outbox: every stored verdict is sent until
/// Cerebrum acknowledges it, with backoff while Cerebrum is away, across restarts. Cerebrum keeps one feedback per
/// exchange, so a verdict sent again after a crash (sent, not yet marked) still counts once.
/// At start-up it first reviews the exchanges a crash left without a review.
/// </summary>
public sealed class FeedbackDispatcher(
    ReviewStore reviews,
    SessionStore sessions,
    ExchangeReviewer reviewer,
    ICerebrumFeedbackApi cerebrum,
    FeedbackSignal signal,
    IOptions<MiddlewareOptions> middleware,
    TimeProvider time,
    ILogger<FeedbackDispatcher> logger) : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await sessions.InitializeAsync(stoppingToken);
        await reviews.InitializeAsync(stoppingToken);
        try
        {
            await reviewer.CatchUpAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not review the exchanges a restart left without a review; they stay unreviewed");
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool failed;
            try
            {
                var pending = await reviews.PendingFeedbackAsync(Batch, stoppingToken);
                if (pending.Count == 0)
                {
                    await signal.WaitAsync(IdleCheck, stoppingToken);
                    continue;
                }

                failed = false;
                foreach (var review in pending)
                {
                    if (!await DeliverAsync(review, stoppingToken))
                    {
                        failed = true;
                        break;
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The store itself failed (a locked or full disk): the outbox is still there to work through later.
                logger.LogWarning(ex, "Feedback delivery failed; retrying");
                failed = true;
            }

            failures = failed ? failures + 1 : 0;
            if (failed)
            {
                await Task.Delay(Extensions.ApplicationServiceExtensions.Backoff(failures, middleware.Value), time, stoppingToken);
            }
        }
    }

    /// <summary>False when Cerebrum could not be reached and the feedback stays pending.</summary>
    private async Task<bool> DeliverAsync(ReviewRecord review, CancellationToken cancellationToken)
    {
        var feedback = new CerebrumFeedback(review.ExchangeId, review.FeedbackScore ?? 0, review.FeedbackCorrection);
        try
        {
            using var response = await cerebrum.SendAsync(feedback, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await reviews.MarkDeliveredAsync(review.ExchangeId, review.FeedbackVersion, null, time.GetUtcNow(), CancellationToken.None);
                return true;
            }

            var status = (int)(response.StatusCode ?? HttpStatusCode.ServiceUnavailable);
            if (status >= 500 || status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests)
            {
                logger.LogWarning("Feedback for {ExchangeId}: Cerebrum answered {Status}; it stays pending", review.ExchangeId, status);
                return false;
            }

            // Cerebrum refused this feedback (unknown exchange, invalid): sending it again would be refused again.
            var error = $"Cerebrum answered {status} {response.ReasonPhrase}: {Truncate((response.Error as Refit.ApiException)?.Content)}";
            logger.LogWarning("Feedback for {ExchangeId} refused: {Error}", review.ExchangeId, error);
            await reviews.MarkDeliveredAsync(review.ExchangeId, review.FeedbackVersion, error, time.GetUtcNow(), CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && TransientErrors.IsTransient(ex, cancellationToken))
        {
            logger.LogWarning("Feedback for {ExchangeId} not delivered: {Error}; it stays pending", review.ExchangeId, TransientErrors.Describe(ex));
            return false;
        }
    }

    private static string Truncate(string? text) => text is null ? "" : text.Length > 300 ? text[..300] + "…" : text;
}

using System.Diagnostics;
using Middleware.Events;
using Middleware.Infrastructure;
using Middleware.Messaging.Contracts;
using Middleware.Routing;
using Middleware.Teachers;

namespace Middleware.Sessions;

/// <summary>
/// Runs one session's exchange loop: teacher turn → stored → sent to Cerebrum under the exchange id → reply stored →
/// log kept current → reviewed (over HTTP while the next exchange runs) → event published (while it runs) → delay. Every step is stored before
/// the next starts, so a run that is cut off anywhere continues from the store without losing or repeating an exchange
/// (an exchange whose review was cut off is reviewed by the restart's catch-up). It holds only what the next turns need
/// (the history window and the counts), so its memory and its cost per exchange do not grow with the session.
/// </summary>
public sealed class SessionRunner(
    Guid sessionId,
    SessionRunnerServices services,
    ILogger<SessionRunner> logger)
{
    /// <summary>Cerebrum's limit for one message.</summary>
    public const int MaxMessageLength = 4000;

    private readonly CancellationTokenSource _stop = new();
    private SessionRecord _session = null!;
    // The latest exchanges, oldest first: the teacher's history window, and a last one that may await the learner.
    private List<ExchangeRecord> _recent = [];
    private int _lastSequence;
    private int _completed;
    private readonly SessionLogFile _log = new(services.LogWriter, services.Store, logger);
    // The previous exchange's review and event: at most one is outstanding while the next exchange runs.
    private Task _finishing = Task.CompletedTask;

    public Guid SessionId => sessionId;

    public void RequestStop() => _stop.Cancel();

    public async Task RunAsync(CancellationToken hostStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, _stop.Token);
        var stopOrShutdown = linked.Token;
        try
        {
            _session = await services.Store.GetSessionAsync(sessionId, hostStopping)
                ?? throw new InvalidOperationException($"Session {sessionId} is not in the store.");
            _recent = [.. await services.Store.GetRecentExchangesAsync(sessionId, HistoryWindow + 1, hostStopping)];
            _lastSequence = _recent.Count > 0 ? _recent[^1].Sequence : 0;
            _completed = _session.Exchanges;
            // Whatever a crash left in the file is replaced by what the store holds.
            await _log.WriteNowAsync(_session);
            logger.LogInformation("Session {SessionId} running from exchange {Completed} of {MaxExchanges}", sessionId, _completed, _session.Config.MaxExchanges);

            while (true)
            {
                stopOrShutdown.ThrowIfCancellationRequested();
                if (_completed >= _session.Config.MaxExchanges)
                {
                    await EndAsync(SessionStatus.Completed, "completed", null);
                    return;
                }

                await RunExchangeAsync(stopOrShutdown, hostStopping);

                if (_completed < _session.Config.MaxExchanges && _session.Config.Delay > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(_session.Config.Delay), services.Time, stopOrShutdown);
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            await EndAsync(SessionStatus.Stopped, "stopped", null);
        }
        catch (Exception) when (hostStopping.IsCancellationRequested)
        {
            // The host is shutting down: the session stays active in the store and resumes at the next start.
            logger.LogInformation("Session {SessionId} suspended by shutdown; it resumes at the next start", sessionId);
            // A graceful stop leaves the file as current as the store (a crash leaves that to the next start).
            await _log.WriteNowAsync(_session);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Session {SessionId} failed", sessionId);
            await EndAsync(SessionStatus.Failed, "failed", TransientErrors.Describe(ex));
        }
        finally
        {
            await _finishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _log.DisposeAsync();
        }
    }

    private int HistoryWindow => Math.Max(services.Training.HistoryExchanges, 1);

    private async Task RunExchangeAsync(CancellationToken stopOrShutdown, CancellationToken hostStopping)
    {
        var started = Stopwatch.GetTimestamp();
        // Only the last exchange can be waiting for the learner: the next one starts after its reply is stored.
        var pending = _recent.Count > 0 && !_recent[^1].IsComplete ? _recent[^1] : null;
        using var activity = ExchangeTelemetry.StartExchange(sessionId, pending?.Sequence ?? _lastSequence + 1);
        if (pending is null)
        {
            var sequence = _lastSequence + 1;
            if ((await services.Routing.Plans.GetAsync(sessionId, stopOrShutdown)).ChoosesByReviews)
            {
                await _finishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            var topic = await services.Routing.Curriculum.TopicForAsync(_session, _recent, sequence, stopOrShutdown);
            var request = BuildTeacherRequest(sequence, topic);
            var turn = await WithRetriesAsync("teacher", ct => services.Teacher.GenerateTurnAsync(request, ct), stopOrShutdown, stopOrShutdown);
            var text = turn.Response.Trim();
            text = text.Length > MaxMessageLength ? text[..MaxMessageLength] : text;

            var at = services.Time.GetUtcNow();
            await services.Store.AddTeacherTurnAsync(sessionId, sequence, topic, text, at, hostStopping);
            pending = new ExchangeRecord(sequence, ExchangeRecord.IdFor(sessionId, sequence), topic, text, at, null, null, null, null);
            _recent.Add(pending);
            _lastSequence = sequence;
        }
        else
        {
            logger.LogInformation("Exchange {ExchangeId} resent to Cerebrum: its teacher turn was stored but no reply", pending.ExchangeId);
        }

        // A stop request does not cut a learner call short: whether Cerebrum counted it would be unknown.
        // Shutdown does, and the resend after restart carries the same Idempotency-Key, which Cerebrum dedupes.
        var reply = await WithRetriesAsync(
            "cerebrum",
            ct => services.Cerebrum.ChatAsync(new CerebrumChatRequest(pending.Teacher), pending.ExchangeId, ct),
            stopOrShutdown,
            hostStopping);

        var completedAt = services.Time.GetUtcNow();
        var counted = await services.Store.CompleteExchangeAsync(sessionId, pending.Sequence, reply.Response ?? "", reply.Phase ?? "", reply.Observations, completedAt, hostStopping);
        var done = pending with { Learner = reply.Response ?? "", LearnerPhase = reply.Phase ?? "", LearnerObservations = reply.Observations, CompletedAt = completedAt };
        _recent[^1] = done;
        if (_recent.Count > HistoryWindow)
        {
            _recent.RemoveRange(0, _recent.Count - HistoryWindow);
        }

        if (counted)
        {
            // What the store's transaction just did to the session row, without reading it back.
            _completed++;
            _session = _session with
            {
                Exchanges = _session.Exchanges + 1,
                Status = _session.Status == SessionStatus.Paused ? SessionStatus.Running : _session.Status,
                LastError = null,
                RetryAttempt = 0,
                NextRetryAt = null,
            };
            _log.ExchangeStored(_session);
        }

        logger.LogInformation(
            "Exchange {ExchangeId} completed in {ElapsedMs} ms ({Completed}/{MaxExchanges}, topic {Topic}, learner phase {Phase})",
            done.ExchangeId, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, _session.Exchanges, _session.Config.MaxExchanges, done.Topic, done.LearnerPhase);

        // The event, and over HTTP the review (a call to the teacher's side), overlap the next exchange instead of
        // delaying it. At most one is outstanding, so a slow reviewer or broker slows the loop rather than piling work up.
        await _finishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (services.Reviewer.OverlapsNextExchange)
        {
            _finishing = FinishAsync(done, services.Reviewer.ReviewLatestAsync(sessionId, [.. _recent], hostStopping), stopOrShutdown, hostStopping);
        }
        else
        {
            var review = await services.Reviewer.ReviewLatestAsync(sessionId, _recent, hostStopping);
            _finishing = FinishAsync(done, Task.FromResult(review), stopOrShutdown, hostStopping);
        }
    }

    /// <summary>Awaits a stored exchange's review (<paramref name="reviewed"/>, under way or done) and publishes its
    /// <see cref="ExchangeCompleted"/> event (with the review and the routing that chose its teacher). A failure here
    /// costs the event, never the exchange: it is in the store, and an exchange left unreviewed is reviewed by the
    /// catch-up at the next start.</summary>
    private async Task FinishAsync(ExchangeRecord done, Task<Reviews.ExchangeReviewView?> reviewed, CancellationToken stopOrShutdown, CancellationToken hostStopping)
    {
        // Off the loop even when the review is already done, so that the event's publish never delays the next exchange.
        await Task.Yield();
        try
        {
            var review = await reviewed;
            // Only a session with a teacher pool records attempts; for any other the query would find none, every exchange.
            var routing = (await services.Routing.Plans.GetAsync(sessionId, hostStopping)).Routes
                ? await services.Routing.Teachers.RoutingOfAsync(sessionId, done.Sequence, hostStopping)
                : null;
            await PublishSafelyAsync(events => events.PublishAsync(new ExchangeCompleted
            {
                SessionId = sessionId,
                Sequence = done.Sequence,
                ExchangeId = done.ExchangeId,
                Topic = done.Topic,
                TeacherMessage = done.Teacher,
                LearnerResponse = done.Learner!,
                LearnerPhase = done.LearnerPhase!,
                LearnerObservations = done.LearnerObservations ?? 0,
                CompletedAt = done.CompletedAt!.Value,
                Review = review,
                Teacher = routing?.Teacher,
                Routing = routing,
            }, hostStopping), stopOrShutdown);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Exchange {ExchangeId}: its review or event failed; the session goes on", done.ExchangeId);
        }
    }

    private TeacherTurnRequest BuildTeacherRequest(int sequence, string topic)
    {
        // The latest completed exchanges of this topic, oldest first; walking back from the end keeps this cheap.
        var sameTopic = new List<ExchangeRecord>();
        for (var i = _recent.Count - 1; i >= 0 && sameTopic.Count < HistoryWindow; i--)
        {
            if (!_recent[i].IsComplete || _recent[i].Topic != topic)
            {
                break;
            }

            sameTopic.Insert(0, _recent[i]);
        }

        // At the start of a topic the teacher opens; otherwise it answers the learner's last reply.
        if (sameTopic.Count == 0)
        {
            return new TeacherTurnRequest(sessionId, sequence, topic, $"Hello! Let's talk about {topic}.", []);
        }

        var history = sameTopic
            .SelectMany(e => new[] { new ConversationTurn(ConversationTurn.Teacher, e.Teacher), new ConversationTurn(ConversationTurn.Learner, e.Learner!) })
            .ToList();
        history.RemoveAt(history.Count - 1); // the learner's last reply travels as the message itself
        return new TeacherTurnRequest(sessionId, sequence, topic, sameTopic[^1].Learner!, history);
    }

    /// <summary>
    /// Calls a peer until it answers. Every attempt runs under the step's hard deadline (<see cref="Deadline"/>), which
    /// fires even when the call ignores its token (a bus call while the transport reconnects), and under the watchdog.
    /// A transient failure or a fired deadline pauses the session and waits with exponential backoff; only a stop
    /// request or shutdown (<paramref name="waitToken"/>) ends the waiting. The caller's call carries the same exchange
    /// id on every attempt, so a retry after a lost answer never counts twice.
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(
        string peer, Func<CancellationToken, Task<T>> call, CancellationToken waitToken, CancellationToken callToken, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DeadlineFor(peer);
        for (var attempt = 1; ; attempt++)
        {
            waitToken.ThrowIfCancellationRequested();
            try
            {
                T result;
                await using (services.Watchdog.Watch(sessionId, peer, limit + StepWatchdog.CheckInterval * 2))
                {
                    result = await Deadline.RunAsync(peer, limit, call, callToken);
                }

                if (attempt > 1)
                {
                    await services.Store.MarkRunningAsync(sessionId, CancellationToken.None);
                    logger.LogInformation("Session {SessionId} resumed: {Peer} answers again", sessionId, peer);
                    await PublishStatusAsync();
                }

                return result;
            }
            catch (Exception ex) when (TransientErrors.IsTransient(ex, callToken))
            {
                var delay = services.Backoff(attempt);
                var error = $"{peer}: {TransientErrors.Describe(ex)}";
                logger.LogWarning("Session {SessionId} paused: {Error}; retry {Attempt} in {DelaySeconds:0.##} s", sessionId, error, attempt, delay.TotalSeconds);
                await services.Store.MarkPausedAsync(sessionId, error, attempt, services.Time.GetUtcNow() + delay, CancellationToken.None);
                await PublishStatusAsync();
                await Task.Delay(delay, services.Time, waitToken);
            }
        }
    }

    /// <summary>Learner calls have their own deadline; the teacher's, the longest, bounds every other peer.</summary>
    private TimeSpan DeadlineFor(string peer) => peer == "cerebrum" ? services.Deadlines.Cerebrum : services.Deadlines.Teacher;

    private async Task EndAsync(SessionStatus status, string reason, string? error)
    {
        // Whoever sees the end finds the last exchange reviewed and its event out before the session's end.
        await _finishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var endedAt = services.Time.GetUtcNow();
        // The file is final before the store says the session ended: whoever sees the end through the API and then
        // opens the file finds every exchange and the ending there.
        var ended = _session with { Status = status, EndReason = reason, EndedAt = endedAt, LastError = error, NextRetryAt = null };
        await _log.WriteNowAsync(ended);
        if (!await services.Store.MarkEndedAsync(sessionId, status, reason, error, endedAt, CancellationToken.None))
        {
            // It had already ended (first ending wins): the file shows that one.
            if (await services.Store.GetSessionAsync(sessionId, CancellationToken.None) is { } first)
            {
                await _log.WriteNowAsync(first);
            }

            return;
        }

        _session = await services.Store.GetSessionAsync(sessionId, CancellationToken.None) ?? ended;
        logger.LogInformation("Session {SessionId} {Reason} after {Exchanges} exchanges", sessionId, reason, _session.Exchanges);
        await PublishSafelyAsync(events => events.PublishAsync(new TrainingSessionEnded
        {
            SessionId = sessionId,
            Exchanges = _session.Exchanges,
            Reason = reason,
            EndedAt = endedAt,
        }, CancellationToken.None));
        await PublishStatusAsync();
    }

    private async Task PublishStatusAsync()
    {
        var session = await services.Store.GetSessionAsync(sessionId, CancellationToken.None);
        if (session is not null)
        {
            services.Hub.Publish(new TrainingEvent(TrainingEvent.SessionStatus, SessionView.From(session)));
        }
    }

    /// <summary>
    /// Publishes a training event under the publish deadline. With <paramref name="retryUntil"/> the event is retried
    /// like any peer call (the session shows <c>paused</c> while the broker does not take it) until it is out or the
    /// session stops; without it (the session is ending) one attempt is made and a failure costs only the event.
    /// The publisher gives each event a fixed message id, so a retried event that also got out late can be told apart.
    /// </summary>
    private async Task PublishSafelyAsync(Func<ITrainingEventPublisher, Task> publish, CancellationToken retryUntil = default)
    {
        const string step = "bus publish";
        try
        {
            if (retryUntil.CanBeCanceled)
            {
                await WithRetriesAsync(step, async _ =>
                {
                    await publish(services.Events);
                    return true;
                }, retryUntil, retryUntil, services.Deadlines.Publish);
                return;
            }

            await using (services.Watchdog.Watch(sessionId, step, services.Deadlines.Publish + StepWatchdog.CheckInterval * 2))
            {
                await Deadline.RunAsync(step, services.Deadlines.Publish, _ => publish(services.Events), CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Events inform watchers; losing one must not stop training.
            logger.LogWarning(ex, "Session {SessionId}: could not publish an event", sessionId);
        }
    }
}

/// <summary>What every runner needs, resolved once.</summary>
public sealed record SessionRunnerServices(
    SessionStore Store,
    SessionLogWriter LogWriter,
    ITeacherClient Teacher,
    ICerebrumApi Cerebrum,
    ITrainingEventPublisher Events,
    TrainingEventHub Hub,
    TrainingOptions Training,
    Func<int, TimeSpan> Backoff,
    TimeProvider Time,
    Reviews.ExchangeReviewer Reviewer,
    Routing.SessionRouting Routing,
    SessionDeadlines Deadlines,
    StepWatchdog Watchdog);

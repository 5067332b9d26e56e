using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Middleware.Events;
using Middleware.Infrastructure;
using Middleware.Messaging.Contracts;

namespace Middleware.Sessions;

/// <summary>
/// Owns the session runners: one background loop per active session. At start-up it resumes every session the store
/// still has as running or paused; at shutdown it lets them stop where they are (they stay active in the store).
/// </summary>
public sealed class SessionSupervisor(
    SessionRunnerServices services,
    IOptions<MiddlewareOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<SessionSupervisor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, (SessionRunner Runner, Task Completion)> _runners = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Two starts in the same second must not pick the same log file name.
    private readonly SemaphoreSlim _creating = new(1, 1);
    private CancellationToken _hostStopping = CancellationToken.None;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.Store.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _hostStopping = stoppingToken;
        try
        {
            foreach (var session in await services.Store.ListActiveSessionsAsync(stoppingToken))
            {
                logger.LogInformation("Resuming session {SessionId} at {Exchanges}/{MaxExchanges} exchanges", session.SessionId, session.Exchanges, session.Config.MaxExchanges);
                Launch(session.SessionId);
            }
        }
        finally
        {
            // New sessions may start even if resuming failed (that failure is logged by the host).
            _ready.TrySetResult();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_runners.Values.Select(r => r.Completion)).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async Task<SessionRecord> StartSessionAsync(SessionConfig config, CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        SessionRecord session;
        await _creating.WaitAsync(cancellationToken);
        try
        {
            var startedAt = services.Time.GetUtcNow();
            var logFile = await services.LogWriter.ChooseFileNameAsync(startedAt, name => services.Store.LogFileTakenAsync(name, cancellationToken));
            session = new SessionRecord(Guid.NewGuid(), SessionStatus.Running, config, startedAt, null, null, 0, logFile, null, 0, null);
            await services.Store.CreateSessionAsync(session, cancellationToken);
            await services.Routing.Plans.RegisterAsync(session.SessionId, config, CancellationToken.None);
            // Once stored, the session must reach its runner: a caller that goes away no longer cancels the start,
            // or the session would sit active in the store with no loop until the next restart.
            await services.LogWriter.WriteAsync(session, AsyncEnumerable.Empty<SessionLogExchange>(), durable: true, CancellationToken.None);
        }
        finally
        {
            _creating.Release();
        }

        logger.LogInformation(
            "Session {SessionId} started: {MaxExchanges} exchanges, delay {Delay} s, topics {Topics} switching every {TopicSwitchInterval}, log {LogFile}",
            session.SessionId, config.MaxExchanges, config.Delay, config.Topics, config.TopicSwitchInterval, session.LogFile);

        try
        {
            await services.Events.PublishAsync(new TrainingSessionStarted
            {
                SessionId = session.SessionId,
                MaxExchanges = config.MaxExchanges,
                DelaySeconds = config.Delay,
                Topics = config.Topics,
                StartedAt = session.StartedAt,
            }, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Session {SessionId}: could not publish its start", session.SessionId);
        }

        Launch(session.SessionId);
        return session;
    }

    /// <summary>Stops one session. Null when the store has no such session; false when it had already ended.</summary>
    public async Task<bool?> StopSessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var stopped = await StopAsync([sessionId], cancellationToken);
        if (stopped.Count == 1)
        {
            return true;
        }

        return await services.Store.GetSessionAsync(sessionId, cancellationToken) is null ? null : false;
    }

    /// <summary>Stops every running or paused session; returns the ids of those it stopped.</summary>
    public async Task<IReadOnlyList<Guid>> StopAllAsync(CancellationToken cancellationToken)
    {
        var active = await services.Store.ListActiveSessionsAsync(cancellationToken);
        return await StopAsync([.. _runners.Keys.Union(active.Select(s => s.SessionId))], cancellationToken);
    }

    private async Task<IReadOnlyList<Guid>> StopAsync(IReadOnlyList<Guid> sessionIds, CancellationToken cancellationToken)
    {
        var running = sessionIds
            .Select(id => _runners.TryGetValue(id, out var r) ? r : default)
            .Where(r => r.Runner is not null)
            .ToList();
        foreach (var (runner, _) in running)
        {
            runner.RequestStop();
        }

        // A learner call in flight is allowed to finish, bounded by its own timeout.
        var grace = TimeSpan.FromSeconds(options.Value.CerebrumTimeoutSeconds + 5);
        await Task.WhenAll(running.Select(r => r.Completion)).WaitAsync(grace, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var stopped = new List<Guid>();
        foreach (var id in sessionIds)
        {
            var session = await services.Store.GetSessionAsync(id, cancellationToken);
            if (session is null)
            {
                continue;
            }

            // An active session without a runner (its loop ended abnormally) is stopped in the store directly.
            var endedNow = session.Status.IsActive() && !_runners.ContainsKey(id)
                && await services.Store.MarkEndedAsync(id, SessionStatus.Stopped, "stopped", null, services.Time.GetUtcNow(), cancellationToken);
            if (endedNow)
            {
                await RewriteLogAsync(id);
            }

            var wasRunning = running.Any(r => r.Runner.SessionId == id);
            if (endedNow || (wasRunning && (session.Status == SessionStatus.Stopped || session.Status.IsActive())))
            {
                stopped.Add(id);
            }
        }

        return stopped;
    }

    /// <summary>The whole file from the store, for a session that ended without its runner.</summary>
    private async Task RewriteLogAsync(Guid sessionId)
    {
        try
        {
            if (await services.Store.GetSessionAsync(sessionId, CancellationToken.None) is { } session)
            {
                await services.LogWriter.WriteAsync(
                    session, services.Store.StreamCompletedExchangesAsync(sessionId, 0, session.Exchanges, CancellationToken.None), durable: true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            logger.LogWarning(ex, "Session {SessionId}: could not rewrite its log", sessionId);
        }
    }

    private void Launch(Guid sessionId)
    {
        var runner = new SessionRunner(sessionId, services, loggerFactory.CreateLogger<SessionRunner>());
        var hostStopping = _hostStopping;
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var completion = Task.Run(async () =>
        {
            await registered.Task;
            try
            {
                await runner.RunAsync(hostStopping);
            }
            catch (Exception ex)
            {
                // The runner handles its own failures; this only catches one in recording them (e.g. the store gone).
                logger.LogError(ex, "Session {SessionId}: its runner stopped unexpectedly; it resumes at the next start", sessionId);
            }
            finally
            {
                _runners.TryRemove(sessionId, out _);
            }
        }, CancellationToken.None);
        _runners[sessionId] = (runner, completion);
        registered.SetResult();
    }
}

using System.Collections.Concurrent;
using Middleware.Events;
using Middleware.Infrastructure;

namespace Middleware.Sessions;

/// <summary>
/// Keeps sessions from going silent. Every step the exchange loop waits on is watched with its deadline; a step that is
/// still waiting after it (something the deadline itself failed to end) is logged and surfaced: the session shows
/// <c>paused</c> with a <c>last_error</c> naming the step, until the step ends and the loop takes over again.
/// </summary>
public sealed class StepWatchdog(SessionStore store, TrainingEventHub hub, TimeProvider time, ILogger<StepWatchdog> logger) : BackgroundService
{
    /// <summary>How often steps are checked; a late step is reported within this much of its deadline.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<WatchedStep, byte> _steps = new();

    /// <summary>Starts watching a step; dispose the result when the step ends, however it ends.</summary>
    public IAsyncDisposable Watch(Guid sessionId, string step, TimeSpan deadline)
    {
        var watched = new WatchedStep(this, sessionId, step, deadline, time.GetTimestamp());
        _steps[watched] = 0;
        return watched;
    }

    /// <summary>Reports every step past its deadline once; returns how many it reported.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var reported = 0;
        foreach (var step in _steps.Keys)
        {
            var waited = time.GetElapsedTime(step.Started);
            if (waited <= step.Deadline)
            {
                continue;
            }

            // The step's gate orders this report before the step's own end (which clears it), never after.
            await step.Gate.WaitAsync(cancellationToken);
            try
            {
                if (step.HasEnded || step.WasOverdue)
                {
                    continue;
                }

                step.WasOverdue = true;
                reported++;
                var error = $"{step.Step}: still waiting after {waited.TotalSeconds:0} s, beyond its {step.Deadline.TotalSeconds:0.##} s deadline";
                logger.LogError("Session {SessionId} stalled: {Error}", step.SessionId, error);
                await store.MarkPausedAsync(step.SessionId, error, 0, time.GetUtcNow() + CheckInterval, cancellationToken);
                await PublishStatusAsync(step.SessionId, cancellationToken);
            }
            finally
            {
                step.Gate.Release();
            }
        }

        return reported;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The step watchdog could not report a stalled step; it checks again in {Interval} s", CheckInterval.TotalSeconds);
            }
        }
    }

    private async Task EndedAsync(WatchedStep step)
    {
        _steps.TryRemove(step, out _);
        await step.Gate.WaitAsync(CancellationToken.None);
        step.HasEnded = true;
        step.Gate.Release();
        if (!step.WasOverdue)
        {
            return;
        }

        // The loop is moving again; if the step failed, the loop's own retry marks the session paused with its error.
        logger.LogWarning("Session {SessionId}: {Step} ended after {Seconds:0} s", step.SessionId, step.Step, time.GetElapsedTime(step.Started).TotalSeconds);
        try
        {
            await store.MarkRunningAsync(step.SessionId, CancellationToken.None);
            await PublishStatusAsync(step.SessionId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Session {SessionId}: could not clear the stall of {Step}", step.SessionId, step.Step);
        }
    }

    private async Task PublishStatusAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (await store.GetSessionAsync(sessionId, cancellationToken) is { } session)
        {
            hub.Publish(new TrainingEvent(TrainingEvent.SessionStatus, SessionView.From(session)));
        }
    }

    private sealed class WatchedStep(StepWatchdog owner, Guid sessionId, string step, TimeSpan deadline, long started) : IAsyncDisposable
    {
        private int _disposed;

        public Guid SessionId => sessionId;

        public string Step => step;

        public TimeSpan Deadline => deadline;

        public long Started => started;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Read and written under <see cref="Gate"/>.</summary>
        public bool WasOverdue { get; set; }

        /// <summary>Read and written under <see cref="Gate"/>.</summary>
        public bool HasEnded { get; set; }

        // Awaited by the loop, so a stall's all-clear is stored before the loop records the step's own outcome.
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await owner.EndedAsync(this);
            }
        }
    }
}

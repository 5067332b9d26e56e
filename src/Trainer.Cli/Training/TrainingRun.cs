using System.Collections.Concurrent;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;
using Trainer.Cli.Arguments;
using Trainer.Cli.Middleware;

namespace Trainer.Cli.Training;

/// <summary>
/// Runs one session in the foreground: start it, follow it (status polling for progress, the event stream for the
/// latest exchange), and on cancellation (Ctrl+C) stop exactly this session before reporting.
/// </summary>
public sealed class TrainingRun(MiddlewareClient middleware, IAnsiConsole console, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the middleware may stay unreachable mid-session before the trainer gives up following it.</summary>
    private static readonly TimeSpan UnreachableLimit = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> EndedStatuses = new(StringComparer.OrdinalIgnoreCase) { "completed", "stopped", "failed", "cancelled" };

    public async Task<SessionOutcome> RunAsync(TrainerArguments arguments, CancellationToken interrupt)
    {
        var before = await TryGetCerebrumStatusAsync(tolerateUnreachable: false);
        using var feed = await middleware.OpenFeedAsync(CancellationToken.None);
        var latest = new LatestExchanges();
        using var feedStop = new CancellationTokenSource();
        var reading = ReadFeedAsync(feed, latest, feedStop.Token);

        var started = await middleware.StartAsync(new StartRequest(arguments.Exchanges, arguments.Delay, arguments.Topic), CancellationToken.None);
        var clock = Stopwatch.StartNew();
        console.MarkupLineInterpolated($"Session [bold]{started.SessionId}[/] started on {middleware.Describe()}. Ctrl+C stops it.");

        var follow = await FollowAsync(started, arguments.Exchanges, latest, interrupt);
        await feedStop.CancelAsync();
        await reading;

        string? problem = follow.Problem;
        var last = follow.Last;
        var result = follow.Result;
        if (result == RunResult.Interrupted)
        {
            console.MarkupLine("[yellow]Stopping the session…[/]");
            try
            {
                await middleware.StopAsync(started.SessionId, CancellationToken.None);
                last = await TryFindAsync(started.SessionId) ?? last;
            }
            catch (MiddlewareException ex)
            {
                problem = ex.Message;
                result = RunResult.Failed;
            }
        }

        // The session is over: whatever happens to the middleware now, the summary is still printed.
        var after = await TryGetCerebrumStatusAsync(tolerateUnreachable: true);
        return new SessionOutcome(
            started.SessionId,
            result,
            last?.Status,
            last?.Exchanges ?? 0,
            last?.MaxExchanges ?? started.MaxExchanges ?? arguments.Exchanges,
            clock.Elapsed,
            before,
            after,
            problem);
    }

    private async Task<FollowResult> FollowAsync(StartedSession started, int? requested, LatestExchanges latest, CancellationToken interrupt)
    {
        var sessionId = started.SessionId;
        var interactive = console.Profile.Capabilities.Interactive;
        FollowResult result = new(RunResult.Failed, null, "The session was not followed.");

        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .UseRenderHook((renderable, _) => latest.Render(sessionId, renderable))
            .StartAsync(async context =>
            {
                var max = started.MaxExchanges ?? requested ?? 1;
                var task = context.AddTask("Exchanges", maxValue: max);
                var printed = 0;
                SessionSummary? last = null;
                var unreachableSince = (long?)null;
                while (true)
                {
                    if (interrupt.IsCancellationRequested)
                    {
                        result = new FollowResult(RunResult.Interrupted, last, null);
                        return;
                    }

                    try
                    {
                        last = await FindAsync(started.SessionId, interrupt) ?? last;
                        unreachableSince = null;
                    }
                    catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
                    {
                        continue;
                    }
                    catch (MiddlewareException ex)
                    {
                        unreachableSince ??= time.GetTimestamp();
                        if (time.GetElapsedTime(unreachableSince.Value) > UnreachableLimit)
                        {
                            result = new FollowResult(RunResult.Failed, last, ex.Message);
                            return;
                        }
                    }

                    if (last is not null)
                    {
                        task.MaxValue = last.MaxExchanges ?? max;
                        task.Value = last.Exchanges;
                        // A paused session is retrying a peer that does not answer; say so instead of looking stuck.
                        task.Description = string.Equals(last.Status, "paused", StringComparison.OrdinalIgnoreCase)
                            ? $"Exchanges {last.Exchanges}/{task.MaxValue:0} [yellow]paused: {Shorten(last.LastError).EscapeMarkup()}[/]"
                            : $"Exchanges {last.Exchanges}/{task.MaxValue:0}";
                    }

                    var ended = last?.Status is { } lastStatus && EndedStatuses.Contains(lastStatus);
                    if (ended)
                    {
                        // The event for the last exchange can trail the status by a moment; give it a short grace,
                        // then take it from the session log (the stream may also be missing altogether).
                        await latest.WaitForAsync(sessionId, last!.Exchanges, TimeSpan.FromSeconds(2), time);
                        if ((latest.For(sessionId)?.Sequence ?? 0) < last.Exchanges)
                        {
                            await TryLoadLastExchangeAsync(sessionId, latest);
                        }
                    }

                    // Redirected output gets a plain line for the newest exchange instead of a redrawn bar.
                    if (!interactive && latest.For(sessionId) is { } exchange && exchange.Sequence > printed)
                    {
                        printed = exchange.Sequence;
                        console.MarkupLineInterpolated($"[[{exchange.Sequence}]] teacher: {Shorten(exchange.TeacherMessage)} | learner: {Shorten(exchange.LearnerResponse)}");
                    }

                    if (ended)
                    {
                        var status = last!.Status!;
                        result = string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase) ? new FollowResult(RunResult.Completed, last, null)
                            : string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase) ? new FollowResult(RunResult.Failed, last, last.LastError)
                            : new FollowResult(RunResult.Stopped, last, null);
                        return;
                    }

                    try
                    {
                        await Task.Delay(PollInterval, time, interrupt);
                    }
                    catch (OperationCanceledException)
                    {
                        // Next turn of the loop reports the interruption.
                    }
                }
            });

        return result;
    }

    private static async Task ReadFeedAsync(ExchangeFeed? feed, LatestExchanges latest, CancellationToken cancellationToken)
    {
        if (feed is null)
        {
            return;
        }

        try
        {
            await foreach (var exchange in feed.ReadExchangesAsync(cancellationToken))
            {
                latest.Add(exchange);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            // The event stream only adds the latest exchange's text; progress does not depend on it.
        }
    }

    private async Task TryLoadLastExchangeAsync(string sessionId, LatestExchanges latest)
    {
        try
        {
            if (await middleware.GetLastExchangeAsync(sessionId, CancellationToken.None) is { } exchange)
            {
                latest.Add(exchange);
            }
        }
        catch (MiddlewareException)
        {
            // Only the last exchange's text is missing from the output.
        }
    }

    private async Task<SessionSummary?> FindAsync(string sessionId, CancellationToken cancellationToken)
    {
        var status = await middleware.GetStatusAsync(cancellationToken);
        // The status lists the active sessions, or the latest when none is active: once ours has ended while another
        // session runs (or after a newer one), only its own resource still shows how it ended.
        return status.Sessions?.FirstOrDefault(s => string.Equals(s.SessionId, sessionId, StringComparison.OrdinalIgnoreCase))
            ?? await middleware.GetSessionAsync(sessionId, cancellationToken);
    }

    private async Task<SessionSummary?> TryFindAsync(string sessionId)
    {
        try
        {
            return await FindAsync(sessionId, CancellationToken.None);
        }
        catch (MiddlewareException)
        {
            return null;
        }
    }

    private async Task<CerebrumStatus?> TryGetCerebrumStatusAsync(bool tolerateUnreachable)
    {
        try
        {
            return await middleware.GetCerebrumStatusAsync(CancellationToken.None);
        }
        catch (MiddlewareException ex) when (tolerateUnreachable || ex.InnerException is null)
        {
            // The middleware answered but Cerebrum did not (502 from the proxy): train anyway, the summary says "unknown".
            console.MarkupLineInterpolated($"[yellow]Learner status unavailable: {ex.Message}[/]");
            return null;
        }
    }

    private static string Shorten(string? text)
    {
        var line = (text ?? "").ReplaceLineEndings(" ");
        return line.Length <= 100 ? line : line[..99] + "…";
    }

    private sealed record FollowResult(RunResult Result, SessionSummary? Last, string? Problem);

    /// <summary>The newest exchange of each session, written by the event reader and read by the renderer. Events can
    /// arrive before the start call has told us our session id, so every session's latest is kept.</summary>
    private sealed class LatestExchanges
    {
        private readonly ConcurrentDictionary<string, ExchangeEvent> _bySession = new(StringComparer.OrdinalIgnoreCase);

        public void Add(ExchangeEvent exchange)
        {
            if (exchange.SessionId is { } id)
            {
                _bySession.AddOrUpdate(id, exchange, (_, known) => exchange.Sequence >= known.Sequence ? exchange : known);
            }
        }

        public ExchangeEvent? For(string sessionId) => _bySession.GetValueOrDefault(sessionId);

        public async Task WaitForAsync(string sessionId, int sequence, TimeSpan limit, TimeProvider time)
        {
            var started = time.GetTimestamp();
            while ((For(sessionId)?.Sequence ?? 0) < sequence && time.GetElapsedTime(started) < limit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time);
            }
        }

        public IRenderable Render(string sessionId, IRenderable progress)
        {
            if (For(sessionId) is not { } exchange)
            {
                return progress;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow(new Markup("[blue]teacher[/]"), new Text(Shorten(exchange.TeacherMessage)));
            grid.AddRow(new Markup("[green]learner[/]"), new Text(Shorten(exchange.LearnerResponse)));
            var header = $"Exchange {exchange.Sequence}" + (exchange.Topic is { } topic ? $" · {topic}" : "");
            return new Rows(progress, new Panel(grid).Header(header.EscapeMarkup()).Expand());
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Middleware.Events;
using Middleware.Messaging.Contracts;
using Middleware.Sessions;
using Middleware.Teachers;

namespace Middleware.Tests;

/// <summary>
/// Every call the exchange loop waits on has a deadline that fires even when the call ignores its cancellation token,
/// which is what a MassTransit request or publish can do while its transport reconnects. The stalling doubles below
/// behave that way for their first calls and then hand over to the real clients (HTTP to the peer doubles).
/// </summary>
public sealed class DeadlineTests : PeerDoublesTest
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_call_that_ignores_its_token_is_abandoned_at_the_deadline_and_its_token_cancelled()
    {
        var never = new TaskCompletionSource<int>();
        CancellationToken handed = default;

        var failure = await Should.ThrowAsync<DeadlineExceededException>(Deadline.RunAsync("bus request X", TimeSpan.FromMilliseconds(100), token =>
        {
            handed = token;
            return never.Task;
        }, CancellationToken.None).WaitAsync(Bound));

        failure.Message.ShouldBe("bus request X did not complete within its 0.1 s deadline");
        handed.IsCancellationRequested.ShouldBeTrue("the abandoned call is told to give up");
        TransientErrors.IsTransient(failure, CancellationToken.None).ShouldBeTrue();
    }

    [Fact]
    public async Task A_call_that_honours_its_token_ends_as_a_missed_deadline_not_as_a_cancellation()
    {
        var failure = await Should.ThrowAsync<DeadlineExceededException>(
            Deadline.RunAsync("publish", TimeSpan.FromMilliseconds(100), token => Task.Delay(Timeout.Infinite, token), CancellationToken.None).WaitAsync(Bound));

        failure.What.ShouldBe("publish");
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_and_a_calls_own_failure_passes_through()
    {
        using var caller = new CancellationTokenSource();
        var never = new TaskCompletionSource<int>();
        var waiting = Deadline.RunAsync("teacher", TimeSpan.FromHours(1), _ => never.Task, caller.Token);
        await caller.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(waiting.WaitAsync(Bound));

        await Should.ThrowAsync<InvalidOperationException>(
            Deadline.RunAsync<int>("teacher", TimeSpan.FromHours(1), _ => throw new InvalidOperationException("refused"), CancellationToken.None));
        (await Deadline.RunAsync("teacher", TimeSpan.FromHours(1), _ => Task.FromResult(42), CancellationToken.None)).ShouldBe(42);
    }

    [Fact]
    public async Task A_teacher_call_that_never_returns_pauses_the_session_and_the_retry_finishes_it_with_exact_counts()
    {
        var teacher = new StallingTeacher(stalls: 2);
        await using var host = StartHost(services =>
        {
            services.AddSingleton<HttpTeacherClient>();
            services.Replace(ServiceDescriptor.Singleton<ITeacherClient>(provider => teacher.Around(provider.GetRequiredService<HttpTeacherClient>())));
        }, shortTeacherDeadline: true);

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        var paused = await host.WaitForSessionAsync(id, s => s.Str("status") == "paused", Bound);
        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed", Bound);

        paused.Str("last_error").ShouldBe("teacher: teacher did not complete within its 0.3 s deadline");
        session.Int("exchanges").ShouldBe(3);
        Cerebrum.Observations.ShouldBe(3);
        teacher.AbandonedTokens.Count.ShouldBe(2);
        teacher.AbandonedTokens.ShouldAllBe(t => t.IsCancellationRequested);
    }

    [Fact]
    public async Task An_event_publish_that_never_returns_pauses_the_session_and_is_published_again()
    {
        StallingPublisher? publisher = null;
        await using var host = StartHost(services => services.Replace(ServiceDescriptor.Singleton<ITrainingEventPublisher>(provider =>
            publisher = new StallingPublisher(new InProcessTrainingEventPublisher(provider.GetRequiredService<TrainingEventHub>()), stalls: 1))));
        using var live = host.Services.GetRequiredService<TrainingEventHub>().Subscribe();

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        var paused = await host.WaitForSessionAsync(id, s => s.Str("status") == "paused", Bound);
        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed", Bound);

        paused.Str("last_error").ShouldBe("bus publish: bus publish did not complete within its 0.3 s deadline");
        paused.Int("exchanges").ShouldBeGreaterThanOrEqualTo(1, "the exchange is stored before its event goes out");
        session.Int("exchanges").ShouldBe(3);
        Cerebrum.Observations.ShouldBe(3);
        var completed = new List<int>();
        while (live.Reader.TryRead(out var e))
        {
            if (e.Payload is ExchangeCompleted exchange)
            {
                completed.Add(exchange.Sequence);
            }
        }

        completed.ShouldBe([1, 2, 3], "the stalled publish was abandoned; its retry is the one that went out");
        publisher!.Stalled.ShouldBe(1);
    }

    [Fact]
    public async Task The_watchdog_surfaces_a_step_waiting_past_its_deadline_as_paused_and_clears_it_when_the_step_ends()
    {
        // The teacher never answers and its deadline is an hour away: the session sits at its first step.
        var teacher = new StallingTeacher(stalls: int.MaxValue);
        await using var host = StartHost(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<ITeacherClient>(teacher.Around(null!)));
            services.AddSingleton(new SessionDeadlines(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
        });
        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        await host.WaitForSessionAsync(id, _ => teacher.AbandonedTokens.Count >= 1, Bound);

        var watchdog = host.Services.GetRequiredService<StepWatchdog>();
        var step = watchdog.Watch(id, "a step with no deadline of its own", TimeSpan.FromMilliseconds(100));
        var stalled = await host.WaitForSessionAsync(id, s => s.Str("status") == "paused", Bound);
        await step.DisposeAsync();
        var running = await host.SessionAsync(id);

        stalled.Str("last_error").ShouldStartWith("a step with no deadline of its own: still waiting after");
        stalled.Str("last_error").ShouldEndWith("beyond its 0.1 s deadline");
        running.Str("status").ShouldBe("running");
        running.GetProperty("last_error").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    /// <summary>Short deadlines only where a test stalls the call; the real HTTP calls keep room on a loaded machine.</summary>
    private MiddlewareHost StartHost(Action<IServiceCollection> testServices, bool shortTeacherDeadline = false) => MiddlewareHost.Start(
        Files,
        Cerebrum.Address,
        Llm.Address,
        new Dictionary<string, string?> { ["Middleware:RetryDelaySeconds"] = "0.1", ["Middleware:MaxRetryDelaySeconds"] = "0.2" },
        services =>
        {
            services.AddSingleton(new SessionDeadlines(
                Teacher: shortTeacherDeadline ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(20),
                Cerebrum: TimeSpan.FromSeconds(20),
                Publish: TimeSpan.FromMilliseconds(300)));
            testServices(services);
        });

    /// <summary>Its first calls never return and ignore their token, as a bus request can while the transport reconnects.</summary>
    private sealed class StallingTeacher(int stalls)
    {
        private readonly Lock _gate = new();
        private readonly List<CancellationToken> _abandoned = [];
        private int _calls;

        public IReadOnlyList<CancellationToken> AbandonedTokens
        {
            get
            {
                lock (_gate)
                {
                    return [.. _abandoned];
                }
            }
        }

        public ITeacherClient Around(ITeacherClient inner) => new Client(this, inner);

        private Task<TeacherTurn>? Stall(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (++_calls > stalls)
                {
                    return null;
                }

                _abandoned.Add(cancellationToken);
                return new TaskCompletionSource<TeacherTurn>().Task;
            }
        }

        private sealed class Client(StallingTeacher owner, ITeacherClient inner) : ITeacherClient
        {
            public Task<TeacherTurn> GenerateTurnAsync(TeacherTurnRequest request, CancellationToken cancellationToken) =>
                owner.Stall(cancellationToken) ?? inner.GenerateTurnAsync(request, cancellationToken);
        }
    }

    /// <summary>Its first <c>ExchangeCompleted</c> publishes never return, as a publish can while the broker is away.</summary>
    private sealed class StallingPublisher(ITrainingEventPublisher inner, int stalls) : ITrainingEventPublisher
    {
        private int _calls;

        public int Stalled => Math.Min(Volatile.Read(ref _calls), stalls);

        public Task PublishAsync(TrainingSessionStarted message, CancellationToken cancellationToken) => inner.PublishAsync(message, cancellationToken);

        public Task PublishAsync(ExchangeCompleted message, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= stalls ? new TaskCompletionSource().Task : inner.PublishAsync(message, cancellationToken);

        public Task PublishAsync(TrainingSessionEnded message, CancellationToken cancellationToken) => inner.PublishAsync(message, cancellationToken);
    }
}

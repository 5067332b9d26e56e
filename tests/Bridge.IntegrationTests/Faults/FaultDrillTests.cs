using Bridge.IntegrationTests.Broker;
using Bridge.IntegrationTests.Infrastructure;
using Bridge.IntegrationTests.Sessions;
using Xunit.Abstractions;

namespace Bridge.IntegrationTests.Faults;

/// <summary>
/// One session against every fault the bridge promises to survive, in sequence, on real processes and a real broker.
/// Each fault lands while the session provably waits on the step it targets (see <see cref="BusOnlyStack"/>); between
/// faults the session must make progress again, observed as its exchange count rising.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class FaultDrillTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    [Fact]
    public async Task One_session_survives_broker_restarts_a_killed_replica_and_restarted_services_with_exactly_max_exchanges_once()
    {
        const int maxExchanges = 40;
        await using var bus = await BusOnlyStack.StartAsync(broker, llmServerReplicas: 2);
        var stack = bus.Stack;
        var observationsBefore = await stack.CerebrumObservationsAsync();
        var sessionId = await stack.StartSessionAsync(new { max_exchanges = maxExchanges, delay = 0.1 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = (await bus.WaitForExchangesAsync(sessionId, 2)).Exchanges();

        // 1. The broker (the whole node) goes away while a teacher request waits on the queue.
        await bus.HoldTeacherRequestAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: teacher request held");
        await bus.StopBrokerAsync(wholeNode: true);
        bus.ReleaseTeacher();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: broker node stopped");
        // The request's deadline fires with the transport down: the session says so instead of hanging.
        var paused = await bus.WaitForNewPauseAsync(sessionId, "teacher:");
        await bus.StartBrokerAsync();
        progress = (await bus.WaitForExchangesAsync(sessionId, paused.Exchanges() + 2)).Exchanges();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: broker node restarted during a teacher request; paused with '{paused.GetProperty("last_error")}'; {progress} exchanges");

        // 2. The broker application stops while the learner holds its reply, so the next step is the event publish.
        await bus.HoldLearnerRequestAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: learner request held");
        await bus.StopBrokerAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: broker application stopped");
        stack.Cerebrum.Thaw();
        paused = await bus.WaitForNewPauseAsync(sessionId, "bus publish:");
        await bus.StartBrokerAsync();
        progress = (await bus.WaitForExchangesAsync(sessionId, paused.Exchanges() + 2)).Exchanges();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: broker restarted during an event publish; paused with '{paused.GetProperty("last_error")}'; {progress} exchanges");

        // 3. The replica holding a teacher turn is SIGKILLed; its unacknowledged turn goes back to the queue.
        //    The session is held at the learner while both replicas reconnect, so it cannot run on with one of them.
        await bus.HoldLearnerRequestAsync();
        await bus.WaitForTeacherConsumersAsync(2);
        var frozen = bus.FreezeTeacher();
        stack.Cerebrum.Thaw();
        await bus.WaitForHeldTeacherRequestAsync(frozen);
        var holder = await bus.ReplicaHoldingATurnAsync();
        await holder.KillAsync();
        bus.ReleaseTeacher();
        progress = (await bus.WaitForExchangesAsync(sessionId, progress + 2)).Exchanges();
        // The broker's consumer count lags by seconds; the session waits for it held at the learner, since running free
        // it could finish all its exchanges in that time and leave nothing for the faults still to come.
        await bus.HoldLearnerRequestAsync();
        await bus.WaitForTeacherConsumersAsync(1);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: replica pid {holder.ProcessId} killed holding a turn; {progress} exchanges; learner request held");

        // 4. Cerebrum is killed with the learner request held above unread, and started again on the same data.
        await stack.Cerebrum.RestartAsync();
        progress = (await bus.WaitForExchangesAsync(sessionId, progress + 2)).Exchanges();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: Cerebrum restarted mid-exchange; {progress} exchanges");

        // 5. The middleware is SIGKILLed with a learner request out; Cerebrum then answers it to nobody, and the
        //    restarted middleware sends the same exchange again under the same Idempotency-Key.
        await bus.HoldLearnerRequestAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: learner request held");
        await stack.Middleware.KillAsync();
        stack.Cerebrum.Thaw();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: middleware killed");
        await stack.Middleware.RestartAsync();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: middleware SIGKILLed and restarted");

        var session = await stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), BusOnlyStack.Patience);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: session {session.Status()} with {session.Exchanges()} exchanges");
        session.Status().ShouldBe("completed", $"{session}\n{stack.Diagnostics()}");
        session.Exchanges().ShouldBe(maxExchanges);
        TrainingSessionTests.AssertExchanges(await stack.GetLogAsync(sessionId), sessionId, maxExchanges, "GET /api/training/log");
        TrainingSessionTests.AssertExchanges(stack.ReadSessionFile(sessionId), sessionId, maxExchanges, "the session file");
        (await stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(maxExchanges, "Cerebrum must count every exchange exactly once");
    }

    [Fact]
    public async Task One_session_survives_ten_broker_restarts_each_during_a_teacher_request_with_exactly_max_exchanges_once()
    {
        const int restarts = 10;
        const int maxExchanges = 25;
        await using var bus = await BusOnlyStack.StartAsync(broker, llmServerReplicas: 1);
        var stack = bus.Stack;
        var observationsBefore = await stack.CerebrumObservationsAsync();
        var sessionId = await stack.StartSessionAsync(new { max_exchanges = maxExchanges, delay = 0.1 });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var progress = 0;
        for (var restart = 1; restart <= restarts; restart++)
        {
            progress = (await bus.WaitForExchangesAsync(sessionId, progress + 1)).Exchanges();
            var t0 = clock.Elapsed.TotalSeconds;
            await bus.HoldTeacherRequestAsync();
            var t1 = clock.Elapsed.TotalSeconds;
            await bus.StopBrokerReleasingTeacherAsync();
            var t2 = clock.Elapsed.TotalSeconds;
            await bus.StartBrokerAsync();
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: broker restart {restart} at {progress} exchanges (held after {t1 - t0:0.0} s, stopped in {t2 - t1:0.0} s, started in {clock.Elapsed.TotalSeconds - t2:0.0} s)");
        }

        var session = await stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), BusOnlyStack.Patience);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {clock.Elapsed.TotalSeconds:0.0} s: session {session.Status()} with {session.Exchanges()} exchanges");
        session.Status().ShouldBe("completed", $"{session}\n{stack.Diagnostics()}");
        session.Exchanges().ShouldBe(maxExchanges);
        TrainingSessionTests.AssertExchanges(await stack.GetLogAsync(sessionId), sessionId, maxExchanges, "GET /api/training/log");
        (await stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(maxExchanges, "Cerebrum must count every exchange exactly once");
    }
}

using System.Diagnostics;
using System.Globalization;
using Bridge.IntegrationTests.Faults;
using Bridge.IntegrationTests.Infrastructure;
using Bridge.IntegrationTests.Sessions;
using Xunit.Abstractions;

namespace Bridge.IntegrationTests.Broker;

/// <summary>
/// The set-up of issue 11: two LlmServer replicas, a middleware that can reach the teacher only over the bus, a session
/// of 24 exchanges at delay 0.2 and the broker application stopped (<c>rabbitmqctl stop_app</c>) after 8 exchanges.
/// The outage lasts until the session has shown it noticed (paused with a teacher error: a deadline fired while the
/// transport was down), then the broker starts again. Set <c>BRIDGE_BROKER_RESTART_SESSIONS=20</c> to measure twenty
/// restarts in twenty sessions; each prints how long the session took to finish after the broker's return.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BrokerRestartTests(RabbitMqFixture broker, ITestOutputHelper output)
{
    public const string SessionsVariable = "BRIDGE_BROKER_RESTART_SESSIONS";

    [Fact]
    public async Task Broker_restarted_mid_session_still_finishes_with_exactly_max_exchanges_counted_once()
    {
        const int maxExchanges = 24;
        const int outageAt = 8;
        var sessions = int.TryParse(Environment.GetEnvironmentVariable(SessionsVariable), CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 100) : 1;
        await using var bus = await BusOnlyStack.StartAsync(broker, llmServerReplicas: 2);
        var stack = bus.Stack;
        var recoveries = new List<double>();
        var firstExchanges = new List<double>();

        for (var run = 1; run <= sessions; run++)
        {
            await bus.WaitForTeacherConsumersAsync(2);
            var observationsBefore = await stack.CerebrumObservationsAsync();
            var sessionId = await stack.StartSessionAsync(new { max_exchanges = maxExchanges, delay = 0.2 });
            await bus.WaitForExchangesAsync(sessionId, outageAt);

            // Freezing the replicas first holds the session on a teacher request, so the outage lands mid-session.
            await bus.HoldTeacherRequestAsync();
            var atOutage = (await stack.GetSessionAsync(sessionId)).Exchanges();
            await bus.StopBrokerAsync();
            bus.ReleaseTeacher();
            var paused = await bus.WaitForNewPauseAsync(sessionId, "teacher:");
            await bus.StartBrokerAsync();
            var brokerBack = Stopwatch.StartNew();
            await stack.WaitForSessionAsync(sessionId, s => s.Exchanges() > atOutage || !s.IsActive(), BusOnlyStack.Patience);
            var firstExchange = brokerBack.Elapsed.TotalSeconds;
            firstExchanges.Add(firstExchange);

            var session = await stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), BusOnlyStack.Patience);
            var recovery = brokerBack.Elapsed.TotalSeconds;
            recoveries.Add(recovery);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"session {run}: outage at {atOutage} exchanges, paused at {paused.Exchanges()} ('{paused.GetProperty("last_error")}'), next exchange {firstExchange:0.0} s and {session.Status()} with {session.Exchanges()} exchanges {recovery:0.0} s after the broker returned"));

            atOutage.ShouldBeLessThan(maxExchanges);
            // Teacher turns only travel over the bus: with the broker gone the session cannot move on.
            paused.Exchanges().ShouldBe(atOutage);
            session.Status().ShouldBe("completed", $"{session}\n{stack.Diagnostics()}");
            session.Exchanges().ShouldBe(maxExchanges);
            TrainingSessionTests.AssertExchanges(await stack.GetLogAsync(sessionId), sessionId, maxExchanges, "GET /api/training/log");
            (await stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(maxExchanges, "Cerebrum must count every exchange exactly once");
        }

        // Statistics start afresh with the broker application, so turns counted now went through it after it came back.
        var queue = await BrokerEvidence.WaitForQueueAsync(
            broker.Management, bus.VirtualHost, BrokerEvidence.TeacherTurnsQueue,
            q => q.MessageStats?.Publish >= maxExchanges - outageAt, TimeSpan.FromSeconds(15));
        queue.MessageStats.ShouldNotBeNull("no teacher turn went through the broker after it restarted");
        queue.MessageStats.Publish.ShouldBeGreaterThanOrEqualTo(maxExchanges - outageAt);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sessions} sessions: next exchange {firstExchanges.Min():0.0}-{firstExchanges.Max():0.0} s (median {Median(firstExchanges):0.0} s) and finished {recoveries.Min():0.0}-{recoveries.Max():0.0} s (mean {recoveries.Average():0.0} s, median {Median(recoveries):0.0} s) after the broker returned"));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

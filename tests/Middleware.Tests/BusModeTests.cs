using System.Net;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Middleware.Events;
using Middleware.Messaging;
using Middleware.Messaging.Consumers;
using Middleware.Messaging.Contracts;
using Middleware.Teachers;
using Middleware.Tests.Doubles;

namespace Middleware.Tests;

/// <summary>The bus path on MassTransit's in-memory harness (real-broker runs are the integration tests' job).</summary>
public sealed class BusModeTests : PeerDoublesTest
{
    // Only its presence matters here: the harness replaces the RabbitMQ transport with the in-memory one.
    private const string UnusedBroker = "amqp://guest:guest@127.0.0.1:1/";

    [Fact]
    public async Task With_a_broker_configured_teacher_turns_go_over_the_bus_and_events_reach_the_live_status_consumer()
    {
        await using var host = StartBusHost(withTeacher: true);
        host.Services.GetRequiredService<ITeacherClient>().ShouldBeOfType<BusTeacherClient>();
        var harness = host.Services.GetTestHarness();
        using var live = host.Services.GetRequiredService<TrainingEventHub>().Subscribe();

        var id = await host.StartSessionAsync(new { max_exchanges = 4, delay = 0 });
        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        session.Int("exchanges").ShouldBe(4);
        Cerebrum.Observations.ShouldBe(4);
        Llm.Requests.ShouldBe(0);
        harness.Consumed.Select<GenerateTeacherTurn>(m => m.Context.Message.SessionId == id).Count().ShouldBe(4);
        // Requests expire with the request timeout (1 s here) instead of piling up for a teacher that is away.
        var sent = harness.Sent.Select<GenerateTeacherTurn>(m => m.Context.Message.SessionId == id).ToList();
        sent.Count.ShouldBe(4);
        sent.ShouldAllBe(m => m.Context.TimeToLive == TimeSpan.FromSeconds(1));
        harness.Published.Select<ExchangeCompleted>(m => m.Context.Message.SessionId == id).Count().ShouldBe(4);
        harness.Published.Select<TrainingSessionStarted>(m => m.Context.Message.SessionId == id).Count().ShouldBe(1);
        (await harness.Published.Any<TrainingSessionEnded>(m => m.Context.Message.SessionId == id && m.Context.Message.Reason == "completed")).ShouldBeTrue();

        var liveStatus = harness.GetConsumerHarness<ExchangeCompletedConsumer>();
        (await liveStatus.Consumed.Any<ExchangeCompleted>(m => m.Context.Message.Sequence == 4)).ShouldBeTrue();
        liveStatus.Consumed.Select<ExchangeCompleted>(m => m.Context.Message.SessionId == id).Count().ShouldBe(4);

        // In bus mode only the consumer feeds the live hub, so these arrived through the bus.
        var delivered = new List<TrainingEvent>();
        while (live.Reader.TryRead(out var e))
        {
            delivered.Add(e);
        }

        delivered.Where(e => e.Name == TrainingEvent.ExchangeCompleted).Select(e => ((ExchangeCompleted)e.Payload).Sequence).Order().ShouldBe([1, 2, 3, 4]);

        var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
        log.GetProperty("exchanges").EnumerateArray().ShouldAllBe(e => e.Str("teacher").StartsWith("Bus teacher turn"));
    }

    [Fact]
    public async Task With_no_teacher_on_the_bus_the_session_pauses_on_request_timeouts_instead_of_failing()
    {
        await using var host = StartBusHost(withTeacher: false);

        var id = await host.StartSessionAsync(new { max_exchanges = 2, delay = 0 });
        var paused = await host.WaitForSessionAsync(id, s => s.Str("status") == "paused" && s.Int("retry_attempt") >= 2);

        paused.Str("last_error").ShouldStartWith("teacher:");
        paused.Int("exchanges").ShouldBe(0);
        Cerebrum.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task Removing_the_topology_without_a_broker_is_a_conflict_problem()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        using var response = await host.Client.DeleteAsync("/api/broker/topology");
        await ControlApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Conflict);
    }

    private MiddlewareHost StartBusHost(bool withTeacher) => MiddlewareHost.Start(
        Files,
        Cerebrum.Address,
        Llm.Address,
        new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = UnusedBroker,
            ["Middleware:TeacherTimeoutSeconds"] = "1",
            // These tests are about teacher turns; reviews over the bus have their own tests (Reviews/ReviewsOverBusTests).
            ["Training:Review"] = "off",
        },
        services => services.AddMassTransitTestHarness(bus =>
        {
            if (withTeacher)
            {
                bus.AddConsumer<TeacherTurnsConsumerDouble>().Endpoint(e => e.Name = BrokerNames.TeacherTurnsQueue);
            }
        }));
}

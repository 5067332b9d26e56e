using System.Text.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Sessions;

/// <summary>Issue 3's "done when": a real session between the three services, counted in every place a user can look.</summary>
[Collection(SharedStackCollection.Name)]
public sealed class TrainingSessionTests(BridgeStackFixture fixture)
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(90);
    private BridgeStack Stack => fixture.Stack;

    [Fact]
    public async Task A_short_session_ends_with_exactly_max_exchanges_in_status_log_file_and_cerebrum()
    {
        var observationsBefore = await Stack.CerebrumObservationsAsync();

        var sessionId = await Stack.StartSessionAsync(new { max_exchanges = 20, delay = 0.2 });
        var session = await Stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), SessionTimeout);

        session.Status().ShouldBe("completed", Stack.Diagnostics());
        session.Exchanges().ShouldBe(20);

        var status = await Stack.GetStatusAsync();
        status.GetProperty("session_id").GetGuid().ShouldBe(sessionId);
        status.GetProperty("exchanges").GetInt32().ShouldBe(20);
        status.GetProperty("status").GetString().ShouldBe("completed");

        AssertExchanges(await Stack.GetLogAsync(sessionId), sessionId, 20, "GET /api/training/log");
        AssertExchanges(Stack.ReadSessionFile(sessionId), sessionId, 20, "the session file");

        (await Stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(20, "Cerebrum must observe each exchange exactly once");
    }

    [Fact]
    public async Task Stopping_mid_session_leaves_the_same_count_in_the_middleware_log_and_in_cerebrum()
    {
        var observationsBefore = await Stack.CerebrumObservationsAsync();

        var sessionId = await Stack.StartSessionAsync(new { max_exchanges = 500, delay = 0.1 });
        await Stack.WaitForSessionAsync(sessionId, s => s.Exchanges() >= 3, SessionTimeout);
        await Stack.StopSessionAsync(sessionId);

        var session = await Stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), TimeSpan.FromSeconds(30));
        session.Status().ShouldBe("stopped");
        var exchanges = session.Exchanges();
        exchanges.ShouldBeInRange(3, 499);

        // Nothing moves after the stop.
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await Stack.GetSessionAsync(sessionId)).Exchanges().ShouldBe(exchanges);

        AssertExchanges(await Stack.GetLogAsync(sessionId), sessionId, exchanges, "GET /api/training/log");
        AssertExchanges(Stack.ReadSessionFile(sessionId), sessionId, exchanges, "the session file");
        (await Stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(exchanges,
            "every exchange the middleware logged reached Cerebrum once, and no other did");
    }

    /// <summary>A session log names each exchange once, in order, with the id Cerebrum saw as its Idempotency-Key.</summary>
    internal static void AssertExchanges(JsonElement log, Guid sessionId, int expected, string where)
    {
        log.GetProperty("session_id").GetGuid().ShouldBe(sessionId, where);
        var exchanges = log.GetProperty("exchanges").EnumerateArray().ToList();
        exchanges.Count.ShouldBe(expected, where);
        exchanges.Select(e => e.GetProperty("sequence").GetInt32()).ShouldBe(Enumerable.Range(1, expected), where);
        exchanges.Select(e => e.GetProperty("exchange_id").GetString()).ShouldBe(
            Enumerable.Range(1, expected).Select(i => $"{sessionId}:{i}"), where);
        exchanges.ShouldAllBe(e => !string.IsNullOrWhiteSpace(e.GetProperty("teacher").GetString())
            && !string.IsNullOrWhiteSpace(e.GetProperty("learner").GetString()), where);
    }
}

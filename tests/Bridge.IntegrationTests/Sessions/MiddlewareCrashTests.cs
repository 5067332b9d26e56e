using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Sessions;

/// <summary>Its own stack: the middleware process is killed, which a shared stack's other tests must not see.</summary>
public sealed class MiddlewareCrashTests : IAsyncLifetime
{
    private BridgeStack stack = null!;

    public async Task InitializeAsync() => stack = await BridgeStack.StartAsync();

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task A_killed_middleware_resumes_its_session_after_restart_and_cerebrum_counts_each_exchange_once()
    {
        const int maxExchanges = 30;
        var observationsBefore = await stack.CerebrumObservationsAsync();
        var sessionId = await stack.StartSessionAsync(new { max_exchanges = maxExchanges, delay = 0.2 });
        await stack.WaitForSessionAsync(sessionId, s => s.Exchanges() >= 5, TimeSpan.FromSeconds(60));

        // SIGKILL: no shutdown hook runs, as after a crash or a power cut.
        await stack.Middleware.KillAsync();
        var exchangesAtCrash = (int)(await stack.CerebrumObservationsAsync() - observationsBefore);
        exchangesAtCrash.ShouldBeLessThan(maxExchanges, "the kill must land mid-session for this test to mean anything");

        await stack.Middleware.RestartAsync();

        var session = await stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), TimeSpan.FromSeconds(90));
        session.Status().ShouldBe("completed", stack.Diagnostics());
        session.Exchanges().ShouldBe(maxExchanges);
        TrainingSessionTests.AssertExchanges(await stack.GetLogAsync(sessionId), sessionId, maxExchanges, "GET /api/training/log");
        TrainingSessionTests.AssertExchanges(stack.ReadSessionFile(sessionId), sessionId, maxExchanges, "the session file");
        (await stack.CerebrumObservationsAsync() - observationsBefore).ShouldBe(maxExchanges,
            "an exchange in flight at the crash is replayed with its Idempotency-Key and must not count twice");
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Sessions;

/// <summary>
/// The teaching loop with the three real services and the embedded teacher: every reply reviewed by LlmServer's
/// rule-based verifier, every review delivered to Cerebrum once, also when the middleware is killed mid-session.
/// Its own stack, because the middleware process is killed.
/// </summary>
public sealed class ReviewLoopProcessTests : IAsyncLifetime
{
    private BridgeStack stack = null!;

    public async Task InitializeAsync() => stack = await BridgeStack.StartAsync();

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task A_middleware_killed_mid_session_still_reviews_every_exchange_and_delivers_each_review_to_cerebrum_once()
    {
        const int maxExchanges = 30;
        var sessionId = await stack.StartSessionAsync(new { max_exchanges = maxExchanges, delay = 0.2 });
        await stack.WaitForSessionAsync(sessionId, s => s.Exchanges() >= 5, TimeSpan.FromSeconds(60));

        // SIGKILL: no shutdown hook runs, so reviews and feedback in flight are cut off wherever they are.
        await stack.Middleware.KillAsync();
        (await stack.CerebrumObservationsAsync()).ShouldBeLessThan(maxExchanges, "the kill must land mid-session for this test to mean anything");
        await stack.Middleware.RestartAsync();

        var session = await stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), TimeSpan.FromSeconds(90));
        session.Status().ShouldBe("completed", stack.Diagnostics());
        var summary = await WaitForDeliveredAsync(sessionId, maxExchanges);

        summary.GetProperty("reviewed").GetInt32().ShouldBe(maxExchanges, summary.ToString());
        summary.GetProperty("unreviewed").GetInt32().ShouldBe(0);
        summary.GetProperty("feedback").GetProperty("delivered").GetInt32().ShouldBe(maxExchanges);
        summary.GetProperty("feedback").GetProperty("rejected").GetInt32().ShouldBe(0);
        foreach (var (document, where) in new[] { (await stack.GetLogAsync(sessionId), "GET /api/training/log"), (stack.ReadSessionFile(sessionId), "the session file") })
        {
            var exchanges = document.GetProperty("exchanges").EnumerateArray().ToList();
            exchanges.Count.ShouldBe(maxExchanges, where);
            foreach (var exchange in exchanges)
            {
                var review = exchange.GetProperty("review");
                review.GetProperty("status").GetString().ShouldBe("reviewed", $"{where}: {exchange}");
                review.GetProperty("reviewer").GetString().ShouldBe("embedded/bridge-rule-verifier-v1");
                review.GetProperty("score").GetDouble().ShouldBeInRange(0, 1);
                review.GetProperty("better_reply").GetString().ShouldNotBeNullOrWhiteSpace();
            }
        }

        // Cerebrum counts feedback per exchange: a review sent again after the crash must not count twice.
        // This stack's Cerebrum is fresh, so its whole count is this session's.
        (await CerebrumFeedbackReceivedAsync()).ShouldBe(maxExchanges, "Cerebrum's feedback count equals the reviewed exchanges");
    }

    [Fact]
    public async Task A_persons_verdict_from_curl_changes_the_summary_and_reaches_cerebrum()
    {
        var sessionId = await stack.StartSessionAsync(new { max_exchanges = 4, delay = 0 });
        await stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), TimeSpan.FromSeconds(60));
        var before = await WaitForDeliveredAsync(sessionId, 4);

        using var response = await stack.MiddlewareClient.PostAsJsonAsync(
            $"/api/training/exchanges/{sessionId}:2/review", new { approved = false, reason = "off the point", correction = "I like sunny days." });
        response.EnsureSuccessStatusCode();
        var after = await WaitForDeliveredAsync(sessionId, 4);

        after.GetProperty("human_reviewed").GetInt32().ShouldBe(before.GetProperty("human_reviewed").GetInt32() + 1);
        after.GetProperty("feedback").GetProperty("delivered").GetInt32().ShouldBe(4);
        var review = (await stack.GetLogAsync(sessionId)).GetProperty("exchanges")[1].GetProperty("review");
        review.GetProperty("source").GetString().ShouldBe("human");
        review.GetProperty("feedback").GetProperty("state").GetString().ShouldBe("delivered");
        review.GetProperty("feedback").GetProperty("score").GetDouble().ShouldBe(0);
    }

    private async Task<long> CerebrumFeedbackReceivedAsync()
    {
        var status = await stack.CerebrumClient.GetFromJsonAsync<JsonElement>("/api/status");
        status.TryGetProperty("feedback", out var feedback).ShouldBeTrue($"Cerebrum's status has no feedback counts: {status}");
        return feedback.GetProperty("received").GetInt64();
    }

    /// <summary>Polls the session's review summary until every review is stored and none waits for Cerebrum.</summary>
    private async Task<JsonElement> WaitForDeliveredAsync(Guid sessionId, int exchanges)
    {
        static bool Delivered(JsonElement summary, int exchanges) =>
            summary.GetProperty("reviewed").GetInt32() + summary.GetProperty("unreviewed").GetInt32() == exchanges
            && summary.GetProperty("feedback").GetProperty("pending").GetInt32() == 0;

        var summary = await Poll.UntilAsync(
            () => stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/reviews?session_id={sessionId}"),
            s => Delivered(s, exchanges), TimeSpan.FromSeconds(60), maxReads: 600, interval: TimeSpan.FromMilliseconds(100));
        if (Delivered(summary, exchanges))
        {
            return summary;
        }

        throw new TimeoutException($"Reviews of {sessionId} not all delivered: {summary}\n{stack.Diagnostics()}");
    }
}

using System.Net.Http.Headers;
using System.Text.Json;

namespace Middleware.Tests.Reviews;

public sealed class ReviewLoopTests : ReviewPeersTest
{
    [Fact]
    public async Task Every_exchange_is_reviewed_in_log_and_file_and_its_feedback_reaches_cerebrum_once()
    {
        await using var host = Start();

        var id = await host.StartSessionAsync(new { max_exchanges = 5, delay = 0, topic = "weather" });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        var summary = await WaitForFeedbackAsync(host, id, 5);

        summary.Int("reviewed").ShouldBe(5);
        summary.GetProperty("feedback").Int("delivered").ShouldBe(5);
        Cerebrum.Latest.Count.ShouldBe(5);
        Cerebrum.FeedbackRequests.ShouldBe(5);

        var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
        var exchanges = log.GetProperty("exchanges").EnumerateArray().ToList();
        exchanges.Count.ShouldBe(5);
        foreach (var exchange in exchanges)
        {
            var review = exchange.GetProperty("review");
            review.Str("status").ShouldBe("reviewed");
            review.Str("source").ShouldBe("teacher");
            var expected = ReviewingLlmServerDouble.ScoreOf(exchange.Str("learner"));
            review.GetProperty("score").GetDouble().ShouldBe(expected, 0.0001);
            review.Str("better_reply").ShouldBe(ReviewingLlmServerDouble.BetterReplyTo(exchange.Str("teacher")));
            review.Str("reviewer").ShouldBe("double/word-count");
            review.GetProperty("reward").GetDouble().ShouldBe(expected, 0.0001);
            review.GetProperty("normalized_reward").ValueKind.ShouldBe(JsonValueKind.Number);

            var sent = Cerebrum.Latest[exchange.Str("exchange_id")];
            sent.Score.ShouldBe(expected, 0.0001);
            sent.Correction.ShouldBe(review.Str("better_reply"));
        }

        exchanges[0].GetProperty("review").GetProperty("normalized_reward").GetDouble().ShouldBe(0);

        var file = Directory.GetFiles(Files.LogsPath, "session_*.json").ShouldHaveSingleItem();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        document.RootElement.GetProperty("exchanges").EnumerateArray()
            .ShouldAllBe(e => e.GetProperty("review").GetProperty("status").GetString() == "reviewed");
    }

    [Fact]
    public async Task The_reviewer_gets_the_topic_the_teachers_line_the_reply_and_the_topics_history()
    {
        await using var host = Start();

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0, topic = "food" });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        var requests = Llm.Reviews.ToList();
        requests.Count.ShouldBe(3);
        requests.ShouldAllBe(r => r.Topic == "food" && r.Reviewer == null);
        requests[0].TeacherMessage.ShouldBe("Teacher turn 1 about food.");
        requests[0].LearnerReply.ShouldBe("I heard: Teacher turn 1 about food.");
        (requests[0].History ?? []).ShouldBeEmpty();
        requests[2].History!.Select(t => t.Role).ShouldBe(["assistant", "user", "assistant", "user"]);
    }

    [Fact]
    public async Task Review_mode_rules_asks_for_the_rule_based_verifier_and_off_asks_nothing()
    {
        await using (var host = Start(("Training:Review", "rules")))
        {
            var id = await host.StartSessionAsync(new { max_exchanges = 2, delay = 0 });
            await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
            Llm.Reviews.ShouldAllBe(r => r.Reviewer == "rules");
            (await host.GetJsonAsync($"/api/training/log?session_id={id}")).GetProperty("exchanges")[0].GetProperty("review").Str("source").ShouldBe("rules");
        }

        var asked = Llm.Reviews.Count;
        await using (var host = Start(("Training:Review", "off")))
        {
            var id = await host.StartSessionAsync(new { max_exchanges = 2, delay = 0 });
            await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
            Llm.Reviews.Count.ShouldBe(asked);
            (await host.GetJsonAsync($"/api/training/log?session_id={id}")).GetProperty("exchanges")[0].GetProperty("review").ValueKind.ShouldBe(JsonValueKind.Null);
        }
    }

    [Fact]
    public async Task A_reviewer_that_keeps_failing_leaves_exchanges_unreviewed_and_the_session_completes()
    {
        Llm.FailNextReviews = 1000;
        await using var host = Start(("Reviews:Attempts", "2"));

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        session.Int("exchanges").ShouldBe(3);
        Llm.Reviews.Count.ShouldBe(6);
        var summary = await host.GetJsonAsync($"/api/training/reviews?session_id={id}");
        summary.Int("reviewed").ShouldBe(0);
        summary.Int("unreviewed").ShouldBe(3);
        var review = (await host.GetJsonAsync($"/api/training/log?session_id={id}")).GetProperty("exchanges")[0].GetProperty("review");
        review.Str("status").ShouldBe("unreviewed");
        review.Str("error").ShouldContain("503");
        Cerebrum.FeedbackRequests.ShouldBe(0);
    }

    [Fact]
    public async Task A_reviewer_that_recovers_within_the_attempts_still_reviews_the_exchange()
    {
        Llm.FailNextReviews = 2;
        await using var host = Start(("Reviews:Attempts", "3"));

        var id = await host.StartSessionAsync(new { max_exchanges = 1, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        (await WaitForFeedbackAsync(host, id, 1)).Int("reviewed").ShouldBe(1);
        Llm.Reviews.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_reviewer_that_rejects_the_request_is_not_retried()
    {
        Llm.ReviewStatus = 400;
        await using var host = Start(("Reviews:Attempts", "5"));

        var id = await host.StartSessionAsync(new { max_exchanges = 2, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        Llm.Reviews.Count.ShouldBe(2);
        (await host.GetJsonAsync($"/api/training/reviews?session_id={id}")).Int("unreviewed").ShouldBe(2);
    }

    [Fact]
    public async Task Feedback_that_cerebrum_refuses_for_a_while_is_delivered_after_a_restart_and_counts_once()
    {
        Cerebrum.RefuseFeedback = true;
        Guid id;
        await using (var host = Start())
        {
            id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
            await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
            var summary = await host.GetJsonAsync($"/api/training/reviews?session_id={id}");
            summary.Int("reviewed").ShouldBe(3);
            summary.GetProperty("feedback").Int("pending").ShouldBe(3);
        }

        Cerebrum.Latest.ShouldBeEmpty();
        Cerebrum.RefuseFeedback = false;
        await using (var host = Start())
        {
            var summary = await WaitForFeedbackAsync(host, id, 3);
            summary.GetProperty("feedback").Int("delivered").ShouldBe(3);
        }

        Cerebrum.Latest.Count.ShouldBe(3);
        Cerebrum.Latest.Keys.Order().ShouldBe(Enumerable.Range(1, 3).Select(i => $"{id}:{i}").Order());
    }

    [Fact]
    public async Task An_exchange_whose_review_a_shutdown_cut_off_is_reviewed_and_delivered_after_the_restart()
    {
        Llm.ReviewDelay = TimeSpan.FromMinutes(5);
        Guid id;
        await using (var host = Start())
        {
            id = await host.StartSessionAsync(new { max_exchanges = 1, delay = 0 });
            await WaitUntilAsync(() => !Llm.Reviews.IsEmpty, "the review under way");
        }

        Llm.ReviewDelay = TimeSpan.Zero;
        await using (var host = Start())
        {
            await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
            var summary = await WaitForFeedbackAsync(host, id, 1);
            summary.Int("reviewed").ShouldBe(1);
        }

        Llm.Reviews.Count.ShouldBe(2);
        Cerebrum.Latest.Keys.ShouldBe([$"{id}:1"]);
    }

    [Fact]
    public async Task The_next_exchange_runs_while_a_review_is_under_way_and_the_session_ends_after_the_last_review()
    {
        Llm.ReviewGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = Start();

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        // The first review is sent in the background, so under load the second turn can come before it arrives.
        await WaitUntilAsync(() => Llm.Turns >= 2 && !Llm.Reviews.IsEmpty, "the second teacher turn while the first review is held");

        Llm.Reviews.Count.ShouldBe(1);
        (await host.GetJsonAsync($"/api/training/sessions/{id}")).Str("status").ShouldBe("running");

        Llm.ReviewGate.SetResult();
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        // 'completed' is only said once every exchange's review is stored.
        (await host.GetJsonAsync($"/api/training/reviews?session_id={id}")).Int("reviewed").ShouldBe(3);
        Llm.Turns.ShouldBe(3);
    }

    [Fact]
    public async Task A_session_that_chooses_by_reviews_waits_for_the_last_review_before_the_next_teacher_turn()
    {
        Llm.ReviewGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = Start();

        var id = await host.StartSessionAsync(new { max_exchanges = 2, delay = 0, topics = new[] { "food", "travel" }, curriculum = "adaptive", topic_switch_interval = 1 });
        await WaitUntilAsync(() => Llm.Reviews.Count == 1, "the first review");
        // The adaptive curriculum picks the next topic from the review scores, so nothing may run ahead of this review.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Llm.Turns.ShouldBe(1);

        Llm.ReviewGate.SetResult();
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        Llm.Turns.ShouldBe(2);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var i = 0; i < 600 && DateTime.UtcNow < deadline; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Not seen in time: {what}");
    }

    [Fact]
    public async Task The_event_stream_carries_each_exchanges_review()
    {
        await using var host = Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/training/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });

        var completed = new List<JsonElement>();
        string? name = null;
        for (var lines = 0; completed.Count < 3 && lines < 1000; lines++)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The event stream closed early.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "exchange_completed")
            {
                completed.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
            }
        }

        completed.Count.ShouldBe(3);
        completed.ShouldAllBe(e => e.GetProperty("session_id").GetString() == id.ToString());
        foreach (var exchange in completed)
        {
            var review = exchange.GetProperty("review");
            review.Str("status").ShouldBe("reviewed");
            review.GetProperty("score").GetDouble().ShouldBe(ReviewingLlmServerDouble.ScoreOf(exchange.Str("learner_response")), 0.0001);
        }
    }
}

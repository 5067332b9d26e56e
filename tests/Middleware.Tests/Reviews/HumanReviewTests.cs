using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Middleware.Tests.Reviews;

public sealed class HumanReviewTests : ReviewPeersTest
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Approving_and_denying_outrank_the_teacher_in_the_summary_and_reach_cerebrum()
    {
        await using var host = Start();
        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0, topic = "food and cooking" });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        var before = await WaitForFeedbackAsync(host, id, 3);
        // Every reply of the double learner has 9 words: 0.9, a good verdict, so all three count as approved.
        before.GetProperty("approval_rate").GetDouble().ShouldBe(1);

        using var deny = await host.Client.PostAsync($"/api/training/exchanges/{id}:2/review",
            Json("""{"approved": false, "reason": "parrots the teacher", "correction": "I like rice with fish."}"""));
        deny.StatusCode.ShouldBe(HttpStatusCode.OK);
        var denied = await deny.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        denied.Str("source").ShouldBe("human");
        denied.GetProperty("human").GetProperty("approved").GetBoolean().ShouldBeFalse();
        denied.GetProperty("human").Str("reason").ShouldBe("parrots the teacher");
        denied.GetProperty("score").GetDouble().ShouldBe(0.9, 0.0001);

        using var approve = await host.Client.PostAsync($"/api/training/exchanges/{id}:3/review", Json("""{"approved": true}"""));
        approve.StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await WaitForFeedbackAsync(host, id, 3);
        after.Int("human_reviewed").ShouldBe(2);
        after.GetProperty("approval_rate").GetDouble().ShouldBe(2 / 3.0, 0.0001);
        after.GetProperty("mean_score").GetDouble().ShouldBe((0.9 + 0 + 1) / 3, 0.0001);
        var food = after.GetProperty("by_topic").GetProperty("food and cooking");
        after.GetProperty("by_phase").EnumerateObject().Select(p => p.Name).ShouldBeSubsetOf(["observing", "synthesizing"]);
        food.Int("approved").ShouldBe(2);
        food.Int("denied").ShouldBe(1);
        after.GetProperty("by_phase").EnumerateObject().Sum(p => p.Value.Int("reviewed")).ShouldBe(3);

        Cerebrum.Latest[$"{id}:2"].ShouldBe(new FeedbackCerebrumDouble.Feedback(0, "I like rice with fish."));
        Cerebrum.Latest[$"{id}:3"].Score.ShouldBe(1);
        Cerebrum.Latest.Count.ShouldBe(3);

        var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
        log.GetProperty("exchanges")[1].GetProperty("review").GetProperty("human").Str("correction").ShouldBe("I like rice with fish.");
    }

    [Fact]
    public async Task A_denial_without_a_correction_sends_the_teachers_better_reply()
    {
        await using var host = Start();
        var id = await host.StartSessionAsync(new { max_exchanges = 1, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        using var deny = await host.Client.PostAsync($"/api/training/exchanges/{id}:1/review", Json("""{"approved": false}"""));
        deny.StatusCode.ShouldBe(HttpStatusCode.OK);
        await WaitForFeedbackAsync(host, id, 1);

        var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
        var teacher = log.GetProperty("exchanges")[0].Str("teacher");
        Cerebrum.Latest[$"{id}:1"].ShouldBe(new FeedbackCerebrumDouble.Feedback(0, ReviewingLlmServerDouble.BetterReplyTo(teacher)));
    }

    [Fact]
    public async Task An_exchange_the_reviewer_missed_can_still_be_reviewed_by_a_person()
    {
        Llm.ReviewStatus = 400;
        await using var host = Start();
        var id = await host.StartSessionAsync(new { max_exchanges = 1, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        using var approve = await host.Client.PostAsync($"/api/training/exchanges/{id}:1/review", Json("""{"approved": true, "correction": "Hello, I am fine."}"""));

        approve.StatusCode.ShouldBe(HttpStatusCode.OK);
        var summary = await WaitForFeedbackAsync(host, id, 1);
        summary.Int("reviewed").ShouldBe(1);
        Cerebrum.Latest[$"{id}:1"].ShouldBe(new FeedbackCerebrumDouble.Feedback(1, "Hello, I am fine."));
    }

    [Theory]
    [InlineData("not-an-id", """{"approved": true}""", HttpStatusCode.BadRequest, "exchange_id")]
    [InlineData("{session}:0", """{"approved": true}""", HttpStatusCode.BadRequest, "exchange_id")]
    [InlineData("{session}:1", """{"reason": "x"}""", HttpStatusCode.BadRequest, "approved")]
    [InlineData("{session}:1", """{"approved": true, "correction": "  "}""", HttpStatusCode.BadRequest, "correction")]
    [InlineData("{session}:1", """{"approved": "yes"}""", HttpStatusCode.BadRequest, null)]
    [InlineData("{session}:1", """{not json""", HttpStatusCode.BadRequest, null)]
    [InlineData("{session}:1", "", HttpStatusCode.BadRequest, null)]
    [InlineData("{session}:99", """{"approved": true}""", HttpStatusCode.NotFound, null)]
    [InlineData("00000000-0000-0000-0000-000000000001:1", """{"approved": true}""", HttpStatusCode.NotFound, null)]
    public async Task Bad_human_reviews_get_problem_details(string exchange, string body, HttpStatusCode status, string? field)
    {
        await using var host = Start();
        var id = await host.StartSessionAsync(new { max_exchanges = 1, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        using var response = await host.Client.PostAsync($"/api/training/exchanges/{exchange.Replace("{session}", id.ToString())}/review", Json(body));

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        if (field is not null)
        {
            (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        }
    }

    [Theory]
    [InlineData("/api/training/reviews?session_id=42", HttpStatusCode.BadRequest)]
    [InlineData("/api/training/reviews?session_id=00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    public async Task Bad_summary_requests_get_problem_details(string path, HttpStatusCode status)
    {
        await using var host = Start();

        using var response = await host.Client.GetAsync(path);

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task With_no_reviews_the_summary_is_empty_not_an_error()
    {
        await using var host = Start();

        var summary = await host.GetJsonAsync("/api/training/reviews");

        summary.Int("reviewed").ShouldBe(0);
        summary.GetProperty("approval_rate").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }
}

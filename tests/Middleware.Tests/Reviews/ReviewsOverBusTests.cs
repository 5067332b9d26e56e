using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Middleware.Messaging;
using Middleware.Messaging.Contracts;
using Middleware.Reviews;
using Middleware.Tests.Doubles;

namespace Middleware.Tests.Reviews;

/// <summary>Reviews as request/response on MassTransit's in-memory harness (the real broker is the integration tests' job).</summary>
public sealed class ReviewsOverBusTests : ReviewPeersTest
{
    private const string UnusedBroker = "amqp://guest:guest@127.0.0.1:1/";

    /// <summary>LlmServer's side of the review contract: scores like the HTTP double, by word count.</summary>
    public sealed class ReviewConsumerDouble : IConsumer<ReviewLearnerReply>
    {
        public Task Consume(ConsumeContext<ReviewLearnerReply> context)
        {
            var score = ReviewingLlmServerDouble.ScoreOf(context.Message.LearnerReply);
            return context.RespondAsync(new LearnerReplyReviewed
            {
                ExchangeId = context.Message.ExchangeId,
                Score = score,
                Verdict = score >= 0.7 ? "good" : "poor",
                Dimensions = new Dictionary<string, double> { ["relevance"] = score },
                Reasons = ["over the bus"],
                BetterReply = ReviewingLlmServerDouble.BetterReplyTo(context.Message.TeacherMessage),
                Reviewer = "bus-double/word-count",
                TeacherTurn = new TeacherTurnReview { Score = TeacherTurnScore, Dimensions = new Dictionary<string, double> { ["on_topic"] = 1 }, Reasons = ["rated over the bus"] },
            });
        }
    }

    /// <summary>What the double rates every teacher turn: far from any learner score the word count gives, so it shows.</summary>
    public const double TeacherTurnScore = 0.05;

    [Fact]
    public async Task With_a_broker_every_review_goes_over_the_bus_to_the_review_queue()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address,
            new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = UnusedBroker, ["Reviews:TimeoutSeconds"] = "5" },
            services => services.AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<TeacherTurnsConsumerDouble>().Endpoint(e => e.Name = BrokerNames.TeacherTurnsQueue);
                bus.AddConsumer<ReviewConsumerDouble>().Endpoint(e => e.Name = BrokerNames.ReviewsQueue);
            }));
        host.Services.GetRequiredService<IReviewClient>().ShouldBeOfType<BusReviewClient>();
        var harness = host.Services.GetTestHarness();

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        await WaitForFeedbackAsync(host, id, 3);

        Llm.Reviews.ShouldBeEmpty();
        var sent = harness.Sent.Select<ReviewLearnerReply>().Select(m => m.Context).ToList();
        sent.Select(c => c.Message.ExchangeId).Order().ShouldBe(Enumerable.Range(1, 3).Select(i => $"{id}:{i}").Order());
        sent.ShouldAllBe(c => c.DestinationAddress!.AbsolutePath.EndsWith(BrokerNames.ReviewsQueue) && c.TimeToLive == TimeSpan.FromSeconds(5));
        var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
        log.GetProperty("exchanges").EnumerateArray().ShouldAllBe(e => e.GetProperty("review").GetProperty("reviewer").GetString() == "bus-double/word-count");
        Cerebrum.Latest.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Over_the_bus_the_teacher_turn_rating_reaches_the_routing_reward_as_over_http()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address,
            new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = UnusedBroker, ["Reviews:TimeoutSeconds"] = "5" },
            services => services.AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<TeacherTurnsConsumerDouble>().Endpoint(e => e.Name = BrokerNames.TeacherTurnsQueue);
                bus.AddConsumer<ReviewConsumerDouble>().Endpoint(e => e.Name = BrokerNames.ReviewsQueue);
            }));

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0, teachers = new[] { "embedded" } });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        await WaitForFeedbackAsync(host, id, 3);

        // The reward is written just after the review is stored: wait for it, bounded in count and time.
        List<System.Text.Json.JsonElement> timeline = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var i = 0; i < 600 && DateTime.UtcNow < deadline; i++)
        {
            timeline = [.. (await host.GetJsonAsync($"/api/training/teachers?session_id={id}")).GetProperty("timeline").EnumerateArray()];
            if (timeline.Count == 3 && timeline.All(p => p.GetProperty("reviewed").GetBoolean()))
            {
                break;
            }

            await Task.Delay(50);
        }

        timeline.Count.ShouldBe(3);
        foreach (var point in timeline)
        {
            point.GetProperty("reviewed").GetBoolean().ShouldBeTrue(point.ToString());
            point.GetProperty("teacher_score").GetDouble().ShouldBe(TeacherTurnScore);
            var learner = point.GetProperty("learner_score").GetDouble();
            // The reward weighs both reviews (TeacherTurnWeight 0.5), less at most 0.1 for latency: without the
            // rating it would be the learner's score alone.
            point.GetProperty("reward").GetDouble().ShouldBeInRange(0.5 * TeacherTurnScore + 0.5 * learner - 0.1, 0.5 * TeacherTurnScore + 0.5 * learner + 1e-9, point.ToString());
        }
    }
}

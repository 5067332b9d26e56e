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
            });
        }
    }

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
}

using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Middleware.Messaging;
using Middleware.Messaging.Contracts;

namespace Middleware.Tests.Reviews;

/// <summary>The middleware's copies of the review contracts have the same URNs and wire shape as LlmServer's.</summary>
public sealed class ReviewContractTests
{
    [Theory]
    [InlineData(typeof(ReviewLearnerReply), new[] { "exchangeId", "topic", "teacherMessage", "learnerReply", "history", "reviewer" })]
    [InlineData(typeof(LearnerReplyReviewed), new[] { "exchangeId", "score", "verdict", "dimensions", "reasons", "betterReply", "reviewer", "fallback", "fallbackReason", "durationMs", "teacherTurn" })]
    public void Each_review_contract_carries_its_bridge_urn_and_exactly_the_documented_fields(Type type, string[] fields)
    {
        var urn = type.GetCustomAttributes(typeof(MessageUrnAttribute), false).Cast<MessageUrnAttribute>().ShouldHaveSingleItem();
        urn.Urn.ToString().ShouldBe($"urn:message:bridge:{type.Name}");

        var json = JsonSerializer.SerializeToElement(Activator.CreateInstance(type), type, SystemTextJsonMessageSerializer.Options);
        json.EnumerateObject().Select(p => p.Name).ShouldBe(fields, ignoreOrder: true);
    }

    [Fact]
    public void The_review_queue_and_exchanges_are_removed_with_the_rest_of_the_topology()
    {
        BrokerNames.ReviewsQueue.ShouldBe("bridge-llmserver-reviews");
        BridgeEntityNameFormatter.KnownExchangeNames.ShouldContain("bridge.ReviewLearnerReply");
        BridgeEntityNameFormatter.KnownExchangeNames.ShouldContain("bridge.Fault-ReviewLearnerReply");
    }
}

using System.Text.Json;
using LlmServer.Extensions;
using LlmServer.Messaging;
using LlmServer.Messaging.Contracts;
using LlmServer.Reviews;
using LlmServer.Tests.Doubles;
using MassTransit;
using MassTransit.Serialization;
using MassTransit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LlmServer.Tests.Messaging;

public sealed class ReviewConsumerTests
{
    private static readonly Uri ReviewsQueue = new($"queue:{BrokerNames.ReviewsQueue}");

    private static async Task<(LlmServerFactory Server, WebApplicationFactory<global::LlmServer.Teachers.TeacherChain> Factory, ITestHarness Harness)> StartAsync()
    {
        var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));
        var factory = server.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddMassTransitTestHarness(bus => bus.AddTeacherConsumers())));
        factory.CreateClient();
        var harness = factory.Services.GetTestHarness();
        await harness.Start();
        return (server, factory, harness);
    }

    [Fact]
    public async Task A_review_request_from_another_services_copy_of_the_contract_is_answered_by_the_reviewer_chain()
    {
        var (server, factory, harness) = await StartAsync();
        await using var _ = server;
        await using var __ = factory;
        var client = harness.Bus.CreateRequestClient<ReviewRequesterCopy.ReviewLearnerReply>(ReviewsQueue);

        var response = await client.GetResponse<ReviewRequesterCopy.LearnerReplyReviewed>(new ReviewRequesterCopy.ReviewLearnerReply(
            "s:1", "food and cooking", "What is your favorite food?", "What is your favorite food?",
            [new ReviewRequesterCopy.ChatTurn("assistant", "Let's talk about food.")], null));

        var review = response.Message;
        review.ExchangeId.ShouldBe("s:1");
        review.Reviewer.ShouldBe(RuleVerifier.ReviewerName);
        review.Verdict.ShouldBe("poor");
        review.Score.ShouldBeLessThanOrEqualTo(RuleVerifier.CopyCap);
        review.Dimensions.Keys.ShouldBe(ReviewRubric.Dimensions, ignoreOrder: true);
        review.BetterReply.ShouldStartWith("My favorite food is ");
        review.Fallback.ShouldBeFalse();
    }

    [Fact]
    public async Task A_review_request_that_breaks_the_limits_faults_at_once()
    {
        var (server, factory, harness) = await StartAsync();
        await using var _ = server;
        await using var __ = factory;
        var client = harness.Bus.CreateRequestClient<ReviewLearnerReply>(ReviewsQueue);

        var fault = await Should.ThrowAsync<RequestFaultException>(() => client.GetResponse<LearnerReplyReviewed>(
            new ReviewLearnerReply { ExchangeId = "s:2", TeacherMessage = " ", LearnerReply = "Hi", Reviewer = "skynet" }));

        fault.Fault!.Exceptions.ShouldContain(e => e.Message.Contains("teacher_message") && e.Message.Contains("Unknown reviewer 'skynet'"));
        (await harness.GetConsumerHarness<ReviewLearnerReplyConsumer>().Consumed.SelectAsync<ReviewLearnerReply>().Count()).ShouldBe(1);
    }

    [Fact]
    public void Reviews_have_their_own_bridge_prefixed_queue_and_urns()
    {
        var definition = new ReviewLearnerReplyConsumerDefinition(Microsoft.Extensions.Options.Options.Create(new TeacherMessagingOptions()));

        ((IConsumerDefinition)definition).GetEndpointName(KebabCaseEndpointNameFormatter.Instance).ShouldBe("bridge-llmserver-reviews");
        MessageUrn.ForTypeString<ReviewLearnerReply>().ShouldBe("urn:message:bridge:ReviewLearnerReply");
        MessageUrn.ForTypeString<LearnerReplyReviewed>().ShouldBe("urn:message:bridge:LearnerReplyReviewed");
        new BridgeEntityNameFormatter(new MessageUrnEntityNameFormatter()).FormatEntityName<LearnerReplyReviewed>().ShouldBe("bridge.LearnerReplyReviewed");
    }

    [Theory]
    [InlineData(typeof(ReviewLearnerReply), new[] { "exchangeId", "topic", "teacherMessage", "learnerReply", "history", "reviewer" })]
    [InlineData(typeof(LearnerReplyReviewed), new[] { "exchangeId", "score", "verdict", "dimensions", "reasons", "betterReply", "reviewer", "fallback", "fallbackReason", "durationMs" })]
    public void The_review_contracts_have_the_documented_wire_shape(Type type, string[] fields)
    {
        var json = JsonSerializer.SerializeToElement(Activator.CreateInstance(type), type, SystemTextJsonMessageSerializer.Options);

        json.EnumerateObject().Select(p => p.Name).ShouldBe(fields, ignoreOrder: true);
    }
}

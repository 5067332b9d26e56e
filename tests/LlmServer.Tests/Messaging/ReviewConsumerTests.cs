using System.Net.Http.Json;
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
    public async Task The_reply_rates_the_teachers_turn_exactly_as_post_api_review_does()
    {
        var (server, factory, harness) = await StartAsync();
        await using var _ = server;
        await using var __ = factory;
        var client = harness.Bus.CreateRequestClient<ReviewLearnerReply>(ReviewsQueue);
        var request = new ReviewLearnerReply
        {
            ExchangeId = "s:3",
            Topic = "food and cooking",
            TeacherMessage = "What do you like to cook?",
            LearnerReply = "I like to cook rice.",
            History = [new ChatTurn { Role = "assistant", Content = "Let's talk about food." }],
        };

        var rated = (await client.GetResponse<LearnerReplyReviewed>(request)).Message.TeacherTurn;

        using var http = factory.CreateClient();
        using var answer = await http.PostAsJsonAsync("/api/review", new
        {
            topic = request.Topic,
            teacher_message = request.TeacherMessage,
            learner_reply = request.LearnerReply,
            history = new[] { new { role = "assistant", content = "Let's talk about food." } },
        });
        answer.EnsureSuccessStatusCode();
        var overHttp = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("teacher_turn");

        rated.ShouldNotBeNull();
        rated.Score.ShouldBe(overHttp.GetProperty("score").GetDouble());
        rated.Dimensions.Keys.ShouldBe(TeacherTurnRater.Weights.Keys, ignoreOrder: true);
        rated.Dimensions.ShouldAllBe(d => d.Value == overHttp.GetProperty("dimensions").GetProperty(d.Key).GetDouble());
        rated.Reasons.Count.ShouldBe(overHttp.GetProperty("reasons").GetArrayLength());
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
    [InlineData(typeof(LearnerReplyReviewed), new[] { "exchangeId", "score", "verdict", "dimensions", "reasons", "betterReply", "reviewer", "fallback", "fallbackReason", "durationMs", "teacherTurn" })]
    public void The_review_contracts_have_the_documented_wire_shape(Type type, string[] fields)
    {
        var json = JsonSerializer.SerializeToElement(Activator.CreateInstance(type), type, SystemTextJsonMessageSerializer.Options);

        json.EnumerateObject().Select(p => p.Name).ShouldBe(fields, ignoreOrder: true);
    }
}

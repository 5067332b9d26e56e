using System.Net;
using System.Net.Http.Json;
using LlmServer.Reviews;
using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Reviews;

public sealed class ReviewApiTests
{
    [Fact]
    public async Task Review_with_the_embedded_chain_answers_every_field_from_the_rules()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));

        var response = await server.CreateClient().PostAsJsonAsync("/api/review", new
        {
            topic = "food and cooking",
            teacher_message = "What is your favorite food?",
            learner_reply = "What is your favorite food?",
            history = new[] { new { role = "assistant", content = "Let's talk about food today." } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.ReadJsonAsync();
        json["score"]!.GetValue<double>().ShouldBeInRange(0, RuleVerifier.CopyCap);
        json["verdict"]!.GetValue<string>().ShouldBe("poor");
        json["dimensions"]!.AsObject().Select(p => p.Key).ShouldBe(ReviewRubric.Dimensions, ignoreOrder: true);
        json["dimensions"]!.AsObject().ShouldAllBe(p => p.Value!.GetValue<double>() >= 0 && p.Value!.GetValue<double>() <= 1);
        json["reasons"]!.AsArray().Count.ShouldBeGreaterThan(0);
        json["better_reply"]!.GetValue<string>().ShouldStartWith("My favorite food is ");
        json["reviewer"]!.GetValue<string>().ShouldBe(RuleVerifier.ReviewerName);
        json["fallback"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Reviewer_rules_skips_the_chain()
    {
        await using var server = LlmServerFactory.With(("Reviewer:Chain", "ollama"));

        var json = await (await server.CreateClient().PostAsJsonAsync("/api/review", new
        {
            topic = "the weather", teacher_message = "Is it sunny today?", learner_reply = "Yes, it is sunny and warm today.", reviewer = "rules",
        })).ReadJsonAsync();

        json["verdict"]!.GetValue<string>().ShouldBe("good");
        json["fallback"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"learner_reply": "hi"}""", "teacher_message")]
    [InlineData("""{"teacher_message": "Hello!"}""", "learner_reply")]
    [InlineData("""{"teacher_message": "  ", "learner_reply": "hi"}""", "teacher_message")]
    [InlineData("""{"teacher_message": "Hello!", "learner_reply": "hi", "reviewer": "gpt-9"}""", "reviewer")]
    [InlineData("""{"teacher_message": "Hello!", "learner_reply": "hi", "history": [{"role": "robot", "content": "x"}]}""", "history[0].role")]
    [InlineData("""{"teacher_message": "Hello!", "learner_reply": "hi", "history": [null]}""", "history[0]")]
    public async Task Invalid_review_requests_get_validation_problem_details(string body, string field)
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));

        var response = await server.CreateClient().PostRawAsync("/api/review", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var json = await response.ReadJsonAsync();
        json["errors"]![field].ShouldNotBeNull(json.ToJsonString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"teacher_message": 5, "learner_reply": "x"}""")]
    [InlineData("[]")]
    public async Task Malformed_review_bodies_get_400_problem_details(string body)
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));

        var response = await server.CreateClient().PostRawAsync("/api/review", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}

public sealed class ReviewerRoleTests
{
    [Fact]
    public async Task Models_lists_the_reviewer_role_with_its_own_chain()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"), ("Reviewer:Chain", "claude,embedded"));

        var json = await (await server.CreateClient().GetAsync("/api/models")).ReadJsonAsync();

        json["chain"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["embedded"]);
        json["reviewer"]!["chain"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["claude", "embedded"]);
        json["reviewer"]!["active"]!.GetValue<string>().ShouldBe("embedded");
    }
}

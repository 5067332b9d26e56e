using System.Net;
using System.Net.Http.Json;
using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Apis;

public sealed class ChatApiTests
{
    [Fact]
    public async Task Seed_hello_gets_an_embedded_answer_when_ollama_is_not_running()
    {
        await using var server = LlmServerFactory.With();
        var client = server.CreateClient();

        var response = await client.PostRawAsync("/api/chat", """{"message": "Hello!"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.ReadJsonAsync();
        json["response"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        json["provider"]!.GetValue<string>().ShouldBe("embedded");
        json["model"]!.GetValue<string>().ShouldBe("bridge-embedded-teacher-v1");
        json["duration_ms"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Full_body_with_history_and_topic_is_answered_on_that_topic()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));
        var client = server.CreateClient();

        var json = await client.ChatAsync(new
        {
            message = "I like the rain",
            topic = "the weather",
            history = new[]
            {
                new { role = "assistant", content = "Let's talk about the weather today. What is the weather like today?" },
                new { role = "user", content = "It is grey." },
                new { role = "assistant", content = "Is it hot or cold where you are?" },
            },
        });

        var response = json["response"]!.GetValue<string>();
        response.ShouldContain("rain", Case.Insensitive);
        response.ShouldNotContain("What is the weather like today?");
        response.ShouldNotContain("Is it hot or cold where you are?");
    }

    [Fact]
    public async Task Empty_message_lets_the_teacher_open_the_conversation()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));

        var json = await server.CreateClient().ChatAsync(new { message = "", topic = "food and cooking" });

        json["response"]!.GetValue<string>().ShouldContain("food", Case.Insensitive);
    }

    [Theory]
    [InlineData("""{"topic": "food"}""", "message")]
    [InlineData("""{"message": null}""", "message")]
    [InlineData("""{"message": "Hi", "history": [{"role": "teacher", "content": "Hello"}]}""", "history[0].role")]
    [InlineData("""{"message": "Hi", "history": [{"role": "user"}]}""", "history[0].content")]
    [InlineData("""{"message": "Hi", "history": [null]}""", "history[0]")]
    [InlineData("""{"message": "Hi", "provider": "skynet"}""", "provider")]
    [InlineData("""{"message": "Hi", "model": "   "}""", "model")]
    public async Task Invalid_fields_return_validation_problem_keyed_by_field(string body, string field)
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));

        var response = await server.CreateClient().PostRawAsync("/api/chat", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.ReadJsonAsync();
        problem["errors"]![field].ShouldNotBeNull($"errors were {problem.ToJsonString()}");
    }

    [Fact]
    public async Task Too_long_message_and_too_long_history_are_rejected_with_their_limits()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));
        var history = Enumerable.Range(0, 201).Select(i => new { role = "user", content = "hi" }).ToArray();

        var response = await server.CreateClient().PostAsJsonAsync("/api/chat", new { message = new string('a', 4001), history });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ReadJsonAsync();
        problem["errors"]!["message"]![0]!.GetValue<string>().ShouldContain("4000");
        problem["errors"]!["history"]![0]!.GetValue<string>().ShouldContain("200");
    }

    [Theory]
    [InlineData("""{"message": "Hello!" """)]
    [InlineData("""{"message": 42}""")]
    [InlineData("""{"message": "Hi", "history": "none"}""")]
    [InlineData("""[1, 2, 3]""")]
    [InlineData("")]
    public async Task Malformed_body_returns_problem_details_and_the_service_stays_up(string body)
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));
        var client = server.CreateClient();

        var response = await client.PostRawAsync("/api/chat", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.ReadJsonAsync())["status"]!.GetValue<int>().ShouldBe(400);
        (await client.ChatAsync(new { message = "Still there?" }))["response"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Chain_with_only_an_unreachable_ollama_answers_503_naming_the_cause()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "ollama"));

        var response = await server.CreateClient().PostRawAsync("/api/chat", """{"message": "Hello!"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.ReadJsonAsync())["detail"]!.GetValue<string>().ShouldContain("ollama serve");
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Contracts;

/// <summary>Every endpoint of the three services, fed what a careless or hostile caller sends: each answer must be a
/// 4xx RFC 9457 problem that says what was wrong, and the service must still answer afterwards.</summary>
[Collection(SharedStackCollection.Name)]
public sealed class BadInputTests(BridgeStackFixture fixture)
{
    private static readonly string UnknownSession = Guid.NewGuid().ToString();

    public static TheoryData<string, string, string, string?, int> Cases => new()
    {
        // service, method, path, body (null = none), expected status
        { "cerebrum", "POST", "/api/chat", """{"message": """, 400 },
        { "cerebrum", "POST", "/api/chat", """{"message": 42}""", 400 },
        { "cerebrum", "POST", "/api/chat", """{"message": ""}""", 400 },
        { "cerebrum", "POST", "/api/chat", """{}""", 400 },
        { "cerebrum", "POST", "/api/chat", "[1, 2, 3]", 400 },
        { "cerebrum", "POST", "/api/chat", $$"""{"message": "{{new string('a', 4001)}}"}""", 400 },
        { "cerebrum", "POST", "/api/feedback", """{"exchange_id": """, 400 },
        { "cerebrum", "POST", "/api/feedback", """{"exchange_id": "no-such-exchange", "score": 0.5}""", 404 },
        { "cerebrum", "POST", "/api/feedback", """{"exchange_id": "no-such-exchange", "score": 7}""", 400 },
        { "cerebrum", "POST", "/api/feedback", """{"exchange_id": "no-such-exchange", "score": "high"}""", 400 },
        { "cerebrum", "POST", "/api/feedback", """{"exchange_id": "no-such-exchange"}""", 400 },
        { "llmserver", "POST", "/api/chat", """{"message": """, 400 },
        { "llmserver", "POST", "/api/chat", """{"message": 42}""", 400 },
        // An empty message is valid for the teacher (it opens the conversation); a missing or oversized one is not.
        { "llmserver", "POST", "/api/chat", """{}""", 400 },
        { "llmserver", "POST", "/api/chat", $$"""{"message": "{{new string('a', 4001)}}"}""", 400 },
        { "llmserver", "POST", "/api/chat", """{"message": "hi", "history": "not a list"}""", 400 },
        { "llmserver", "POST", "/api/chat", """{"message": "hi", "history": [{"role": "robot", "content": "beep"}]}""", 400 },
        { "llmserver", "POST", "/api/chat", """{"message": "hi", "provider": "no-such-provider"}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"max_exchanges": """, 400 },
        { "middleware", "POST", "/api/training/start", """{"max_exchanges": -1}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"max_exchanges": 0}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"max_exchanges": 100001}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"max_exchanges": 99999999999999}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"max_exchanges": "ten"}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"delay": -1}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"delay": 3601}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"topic_switch_interval": 0}""", 400 },
        { "middleware", "POST", "/api/training/start", """{"topics": "not a list"}""", 400 },
        { "middleware", "POST", $"/api/training/stop?session_id={UnknownSession}", null, 404 },
        { "middleware", "POST", "/api/training/stop?session_id=not-a-session", null, 400 },
        { "middleware", "GET", $"/api/training/log?session_id={UnknownSession}", null, 404 },
        { "middleware", "GET", "/api/training/log?session_id=not-a-session", null, 400 },
        { "middleware", "POST", "/api/cerebrum/chat", """{"message": ""}""", 400 },
        { "middleware", "POST", "/api/llm/chat", """{"message": 42}""", 400 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_4xx_problem_details_and_the_service_keeps_answering(
        string service, string method, string path, string? body, int expectedStatus)
    {
        var stack = fixture.Stack;
        var client = service switch
        {
            "cerebrum" => stack.CerebrumClient,
            "llmserver" => stack.LlmServerClient,
            _ => stack.MiddlewareClient,
        };

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).ShouldBe(expectedStatus, $"{method} {path} answered: {text}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        using var problem = JsonDocument.Parse(text);
        Explains(problem.RootElement).ShouldBeTrue($"the problem must say what was wrong (detail or errors): {text}");
        await AllServicesAnswerAsync(stack);
    }

    [Fact]
    public async Task An_idempotency_key_longer_than_200_characters_is_rejected_by_cerebrum()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat")
        {
            Content = new StringContent("""{"message": "hello"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", new string('k', 201));

        using var response = await fixture.Stack.CerebrumClient.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(text);
        Explains(problem.RootElement).ShouldBeTrue(text);
    }

    private static bool Explains(JsonElement problem) =>
        problem.TryGetProperty("detail", out var detail) && !string.IsNullOrWhiteSpace(detail.GetString())
        || problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.EnumerateObject().Any();

    private static async Task AllServicesAnswerAsync(BridgeStack stack)
    {
        foreach (var client in new[] { stack.CerebrumClient, stack.LlmServerClient, stack.MiddlewareClient })
        {
            using var health = await client.GetAsync("/health");
            health.StatusCode.ShouldBe(HttpStatusCode.OK, $"{client.BaseAddress} stopped answering\n{stack.Diagnostics()}");
        }

        using var status = await stack.CerebrumClient.GetAsync("/api/status");
        status.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

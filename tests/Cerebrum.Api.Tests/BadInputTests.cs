using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Cerebrum.Api.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public static TheoryData<string, string> BadChatBodies => new()
    {
        { "malformed JSON", "{\"message\": \"unterminated" },
        { "not an object", "[1, 2, 3]" },
        { "message is a number", "{\"message\": 42}" },
        { "message is an object", "{\"message\": {\"text\": \"hi\"}}" },
        { "missing message", "{}" },
        { "null message", "{\"message\": null}" },
        { "empty message", "{\"message\": \"\"}" },
        { "whitespace message", "{\"message\": \"   \"}" },
        { "oversized message", JsonSerializer.Serialize(new { message = new string('a', 4001) }) },
        { "empty body", "" },
    };

    [Theory]
    [MemberData(nameof(BadChatBodies))]
    public async Task Bad_chat_body_returns_problem_details_and_the_service_still_answers(string why, string body)
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var client = host.Client;

        using var response = await client.PostAsync("/api/chat", new StringContent(body, Encoding.UTF8, "application/json"));

        await ShouldBeProblem(response, why);
        (await host.ChatAsync("Still here?")).Observations.ShouldBe(1);
    }

    [Theory]
    [InlineData("oversized key", 201)]
    [InlineData("blank key", 0)]
    public async Task Bad_idempotency_key_returns_problem_details_and_counts_nothing(string why, int length)
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var client = host.Client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new { message = "hello" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", length == 0 ? " " : new string('k', length));

        using var response = await client.SendAsync(request);

        await ShouldBeProblem(response, why);
        (await response.Content.ReadAsStringAsync()).ShouldContain("idempotency_key");
        (await host.StatusAsync()).GetProperty("observations").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Key_of_exactly_two_hundred_characters_is_accepted()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        (await host.ChatAsync("hello", new string('k', 200))).ExchangeId.Length.ShouldBe(200);
    }

    [Theory]
    [InlineData("???")]
    [InlineData("😀😀")]
    [InlineData("' ' ' , ; :")]
    public async Task Message_without_words_is_still_answered_and_counted(string message)
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));

        var reply = await host.ChatAsync(message, "odd:1");

        reply.Response.ShouldNotBeNullOrWhiteSpace();
        reply.Observations.ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_ngram_order_stops_the_service_at_start()
    {
        // The built service, as an operator starts it (see ProcessExit for why not in-process).
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cerebrum.Api.dll"), "--urls", $"http://127.0.0.1:{Bridge.Testing.FreePorts.Next()}"])
        {
            WorkingDirectory = _directory.Path,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Cerebrum__DatabasePath"] = _directory.File("cerebrum.db");
        start.Environment["Cerebrum__NgramOrder"] = "7";

        var (exitCode, output) = await Bridge.Testing.ProcessExit.RunToExitAsync(start, TimeSpan.FromSeconds(60));

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("NgramOrder", Case.Sensitive, output);
        File.Exists(_directory.File("cerebrum.db")).ShouldBeFalse("a refused configuration must not create the database");
    }

    [Fact]
    public async Task Non_json_content_type_returns_problem_details()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var client = host.Client;

        using var response = await client.PostAsync("/api/chat", new StringContent("message=hello", Encoding.UTF8, "text/plain"));

        await ShouldBeProblem(response, "text/plain");
    }

    public static TheoryData<string, string> BadFeedbackBodies => new()
    {
        { "malformed JSON", "{\"exchange_id\": " },
        { "score is text", "{\"exchange_id\": \"x\", \"score\": \"high\"}" },
        { "missing exchange id", "{\"score\": 0.5}" },
        { "no score, approved or correction", "{\"exchange_id\": \"x\"}" },
        { "both score and approved", "{\"exchange_id\": \"x\", \"score\": 1, \"approved\": true}" },
        { "score above one", "{\"exchange_id\": \"x\", \"score\": 1.5}" },
        { "score below zero", "{\"exchange_id\": \"x\", \"score\": -0.5}" },
        { "approved is text", "{\"exchange_id\": \"x\", \"approved\": \"yes\"}" },
        { "blank correction", "{\"exchange_id\": \"x\", \"correction\": \"   \"}" },
        { "correction of punctuation only", "{\"exchange_id\": \"x\", \"correction\": \"?!.\"}" },
        { "correction is a number", "{\"exchange_id\": \"x\", \"correction\": 5}" },
        { "correction too long", "{\"exchange_id\": \"x\", \"correction\": \"" + new string('a', 4001) + "\"}" },
    };

    [Theory]
    [MemberData(nameof(BadFeedbackBodies))]
    public async Task Bad_feedback_body_returns_problem_details(string why, string body)
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var client = host.Client;

        using var response = await client.PostAsync("/api/feedback", new StringContent(body, Encoding.UTF8, "application/json"));

        await ShouldBeProblem(response, why);
        (await host.ChatAsync("Still answering.")).Observations.ShouldBe(1);
    }

    [Fact]
    public async Task Feedback_for_an_unknown_exchange_returns_404_problem_details()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var client = host.Client;

        using var response = await client.PostAsJsonAsync("/api/feedback", new { exchange_id = "never-seen:1", score = 1.0 });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("never-seen:1");
    }

    [Fact]
    public async Task Correction_for_an_unknown_exchange_returns_404_and_is_not_counted()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));

        using var response = await host.Client.PostAsJsonAsync("/api/feedback", new { exchange_id = "never-seen:2", correction = "Hello there." });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await host.StatusAsync()).GetProperty("feedback").GetProperty("received").GetInt32().ShouldBe(0);
    }

    private static async Task ShouldBeProblem(HttpResponseMessage response, string why)
    {
        ((int)response.StatusCode).ShouldBeInRange(400, 499, why);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", why);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().ShouldBe((int)response.StatusCode, why);
        (problem.TryGetProperty("detail", out _) || problem.TryGetProperty("errors", out _) || problem.TryGetProperty("title", out _)).ShouldBeTrue(why);
    }

    public void Dispose() => _directory.Dispose();
}

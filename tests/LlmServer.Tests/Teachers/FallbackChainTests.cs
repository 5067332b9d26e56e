using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Teachers;

public sealed class FallbackChainTests
{
    [Fact]
    public async Task Refused_connection_hands_the_turn_to_the_next_provider()
    {
        await using var openai = await OpenAIDouble.StartAsync();
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "ollama,openai,embedded"), ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey),
            // Try the refused provider on every turn instead of skipping it after the start-up check.
            ("Teacher:RetryUnavailableAfterSeconds", "0"));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("openai");
        server.Logs.Messages.ShouldContain(m => m.Contains("Teacher provider ollama") && m.Contains("failed") && m.Contains("not reachable"));
    }

    [Fact]
    public async Task Provider_that_stops_answering_mid_run_is_replaced_by_the_next()
    {
        var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "ollama,embedded"));
        var client = server.CreateClient();
        (await client.ChatAsync(new { message = "Hello!" }))["provider"]!.GetValue<string>().ShouldBe("ollama");

        await ollama.DisposeAsync();

        (await client.ChatAsync(new { message = "Are you there?" }))["provider"]!.GetValue<string>().ShouldBe("embedded");
    }

    [Fact]
    public async Task Slow_provider_exceeding_the_timeout_hands_the_turn_on()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        ollama.Delay = TimeSpan.FromSeconds(30);
        await using var server = LlmServerFactory.With(
            ("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "ollama,embedded"), ("Teacher:TimeoutSeconds", "1"));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("embedded");
        ollama.ChatRequests.Count.ShouldBe(1);
        server.Logs.Messages.ShouldContain(m => m.Contains("Teacher provider ollama") && m.Contains("no answer within 1 s"));
    }

    [Fact]
    public async Task A_provider_that_failed_is_skipped_on_the_next_turns_instead_of_costing_its_timeout_again()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        ollama.Delay = TimeSpan.FromSeconds(30);
        await using var server = LlmServerFactory.With(
            ("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "ollama,embedded"), ("Teacher:TimeoutSeconds", "1"));
        var client = server.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            (await client.ChatAsync(new { message = $"Turn {i}" }))["provider"]!.GetValue<string>().ShouldBe("embedded");
        }

        ollama.ChatRequests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Every_provider_failing_is_a_503_problem_listing_each_reason()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "ollama,openai"));

        var response = await server.CreateClient().PostRawAsync("/api/chat", """{"message": "Hello!"}""");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        var detail = (await response.ReadJsonAsync())["detail"]!.GetValue<string>();
        detail.ShouldContain("ollama:");
        detail.ShouldContain("openai: OPENAI_API_KEY is not set");
    }

    [Fact]
    public async Task Unknown_provider_in_the_chain_stops_start_up_with_a_clear_message()
    {
        var (exitCode, output) = await LlmServerProcess.RunToExitAsync(("Teacher:Chain", "ollama,chatgpt"));

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("unknown provider 'chatgpt'", Case.Insensitive, output);
    }
}

using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Teachers;

public sealed class OllamaModelTests
{
    [Fact]
    public async Task Missing_model_is_named_with_the_pull_command_at_start_up_and_the_chain_falls_back()
    {
        await using var ollama = await OllamaDouble.StartAsync("llama3.2:1b");
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("embedded");
        server.Logs.Messages.ShouldContain(m => m.Contains("has no model gemma3:1b") && m.Contains("ollama pull gemma3:1b"));
    }

    [Fact]
    public async Task Asking_ollama_for_a_model_it_lacks_answers_503_naming_the_pull_command()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl));

        var response = await server.CreateClient().PostRawAsync("/api/chat", """{"message": "Hi", "provider": "ollama", "model": "qwen3:0.6b"}""");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        (await response.ReadJsonAsync())["detail"]!.GetValue<string>().ShouldContain("ollama pull qwen3:0.6b");
    }

    [Fact]
    public async Task Auto_pull_pulls_the_missing_model_logging_progress_then_ollama_answers()
    {
        await using var ollama = await OllamaDouble.StartAsync();
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl), ("Ollama:AutoPull", "true"));
        var client = server.CreateClient();

        var ready = await Eventually(() => server.Logs.Messages.Any(m => m.Contains("Ollama model gemma3:1b is ready")));

        ready.ShouldBeTrue(string.Join(Environment.NewLine, server.Logs.Messages));
        ollama.PullRequests.ShouldHaveSingleItem()["model"]!.GetValue<string>().ShouldBe("gemma3:1b");
        server.Logs.Messages.ShouldContain(m => m.Contains("Pulling gemma3:1b") && m.Contains("50%"));
        (await client.ChatAsync(new { message = "Hello!" }))["provider"]!.GetValue<string>().ShouldBe("ollama");
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}

using LlmServer.Teachers;
using LlmServer.Tests.Doubles;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmServer.Tests.Teachers;

public sealed class OllamaTeacherTests
{
    [Fact]
    public async Task Auto_chain_uses_ollama_when_it_answers_and_says_so_once_at_start_up()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!", topic = "the weather" });

        json["provider"]!.GetValue<string>().ShouldBe("ollama");
        json["model"]!.GetValue<string>().ShouldBe("gemma3:1b");
        json["response"]!.GetValue<string>().ShouldBe(ollama.Reply);
        server.Logs.Messages.Count(m => m.Contains("active provider ollama")).ShouldBe(1);
    }

    [Fact]
    public async Task Ollama_receives_the_persona_history_and_learner_line_as_a_non_streaming_chat()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "ollama"));

        await server.CreateClient().ChatAsync(new
        {
            message = "I have a dog",
            topic = "animals and nature",
            history = new[] { new { role = "assistant", content = "Do you have a pet?" } },
        });

        var request = ollama.ChatRequests.ShouldHaveSingleItem();
        request["model"]!.GetValue<string>().ShouldBe("gemma3:1b");
        request["stream"]!.GetValue<bool>().ShouldBeFalse();
        request["options"]!["num_predict"]!.GetValue<int>().ShouldBeLessThanOrEqualTo(200, "teacher turns are short");
        var messages = request["messages"]!.AsArray();
        messages.Select(m => m!["role"]!.GetValue<string>()).ShouldBe(["system", "assistant", "user"]);
        var persona = messages[0]!["content"]!.GetValue<string>();
        persona.ShouldContain("patient");
        persona.ShouldContain("animals and nature");
        persona.ShouldContain("short");
        messages[2]!["content"]!.GetValue<string>().ShouldBe("I have a dog");
    }

    [Fact]
    public async Task Auto_chain_falls_back_to_embedded_and_logs_why_when_ollama_is_down()
    {
        await using var server = LlmServerFactory.With();

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("embedded");
        server.Logs.Messages.ShouldContain(m => m.Contains("active provider embedded") && m.Contains("ollama not usable"));
        server.Logs.Messages.ShouldContain(m => m.Contains("Ollama is not reachable") && m.Contains("ollama serve"));
    }

    [Fact]
    public async Task Streaming_chat_reads_ollamas_ndjson_chunks_into_one_message()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        ollama.Reply = "Rain is good for the garden. Do you like rain?";
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl));
        var provider = server.Services.GetServices<ITeacherProvider>().Single(p => p.Name == ProviderNames.Ollama);

        var updates = await provider.ChatClient.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")]).ToListAsync();

        updates.Count.ShouldBeGreaterThan(2);
        string.Concat(updates.Select(u => u.Text)).ShouldBe(ollama.Reply);
        ollama.ChatRequests.ShouldHaveSingleItem()["stream"]?.GetValue<bool>().ShouldNotBe(false);
    }
}

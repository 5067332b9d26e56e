using LlmServer.Teachers;
using LlmServer.Tests.Doubles;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmServer.Tests.Teachers;

public sealed class HostedProviderTests
{
    [Fact]
    public async Task OpenAI_compatible_server_gets_a_chat_completions_request_with_key_persona_and_model()
    {
        await using var openai = await OpenAIDouble.StartAsync();
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "openai"), ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey));

        var json = await server.CreateClient().ChatAsync(new { message = "I like pizza", topic = "food and cooking" });

        json["provider"]!.GetValue<string>().ShouldBe("openai");
        json["model"]!.GetValue<string>().ShouldBe("gpt-4o-mini");
        json["response"]!.GetValue<string>().ShouldBe(openai.Reply);
        openai.AuthorizationHeaders.ShouldContain($"Bearer {openai.ApiKey}");
        var request = openai.ChatRequests.ShouldHaveSingleItem();
        request["model"]!.GetValue<string>().ShouldBe("gpt-4o-mini");
        var messages = request["messages"]!.AsArray();
        messages[0]!["role"]!.GetValue<string>().ShouldBe("system");
        messages[0]!["content"]!.ToJsonString().ShouldContain("food and cooking");
        messages[^1]!["role"]!.GetValue<string>().ShouldBe("user");
        messages[^1]!["content"]!.ToJsonString().ShouldContain("I like pizza");
    }

    [Fact]
    public async Task OpenAI_compatible_streaming_reads_the_server_sent_chunks_into_one_message()
    {
        await using var openai = await OpenAIDouble.StartAsync();
        await using var server = LlmServerFactory.With(("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey));
        var provider = server.Services.GetServices<ITeacherProvider>().Single(p => p.Name == ProviderNames.OpenAI);

        var updates = await provider.ChatClient.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")]).ToListAsync();

        updates.Count(u => !string.IsNullOrEmpty(u.Text)).ShouldBeGreaterThan(2);
        string.Concat(updates.Select(u => u.Text)).ShouldBe(openai.Reply);
        openai.ChatRequests.ShouldHaveSingleItem()["stream"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Per_request_provider_and_model_are_honoured()
    {
        await using var openai = await OpenAIDouble.StartAsync();
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "embedded"), ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!", provider = "openai", model = "gpt-4.1-nano" });

        json["provider"]!.GetValue<string>().ShouldBe("openai");
        json["model"]!.GetValue<string>().ShouldBe("gpt-4.1-nano");
        openai.ChatRequests.ShouldHaveSingleItem()["model"]!.GetValue<string>().ShouldBe("gpt-4.1-nano");
    }

    [Fact]
    public async Task Self_hosted_openai_compatible_server_needs_no_key()
    {
        await using var llamaCpp = await OpenAIDouble.StartAsync(apiKey: "no-key");
        await using var server = LlmServerFactory.With(("Teacher:Chain", "openai"), ("OpenAI:BaseUrl", llamaCpp.BaseUrl), ("OpenAI:Model", "qwen2.5-0.5b"));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("openai");
        json["model"]!.GetValue<string>().ShouldBe("qwen2.5-0.5b");
    }

    [Fact]
    public async Task Gemini_is_reached_through_its_openai_compatible_endpoint_with_its_own_key()
    {
        await using var gemini = await OpenAIDouble.StartAsync(pathPrefix: "/v1beta/openai", apiKey: "gemini-test-key");
        gemini.Reply = "Hi! Let's talk about the weather.";
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "gemini,embedded"), ("Gemini:BaseUrl", gemini.BaseUrl), ("GEMINI_API_KEY", gemini.ApiKey));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("gemini");
        json["model"]!.GetValue<string>().ShouldBe("gemini-2.0-flash");
        json["response"]!.GetValue<string>().ShouldBe(gemini.Reply);
        gemini.AuthorizationHeaders.ShouldContain("Bearer gemini-test-key");
    }

    [Fact]
    public async Task Claude_is_reached_through_the_anthropic_messages_api()
    {
        await using var claude = await AnthropicDouble.StartAsync();
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "claude,embedded"), ("Claude:BaseUrl", claude.BaseUrl), ("CLAUDE_API_KEY", claude.ApiKey));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!", topic = "music" });

        json["provider"]!.GetValue<string>().ShouldBe("claude", string.Join(Environment.NewLine, server.Logs.Messages));
        json["model"]!.GetValue<string>().ShouldBe("claude-3-5-haiku-latest");
        json["response"]!.GetValue<string>().ShouldBe(claude.Reply);
        var request = claude.MessageRequests.ShouldHaveSingleItem();
        request["system"]!.ToJsonString().ShouldContain("music");
        request["messages"]!.AsArray()[^1]!["role"]!.GetValue<string>().ShouldBe("user");
    }

    [Fact]
    public async Task Missing_key_is_a_clear_start_up_warning_and_the_chain_goes_on()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "openai,claude,embedded"));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("embedded");
        server.Logs.Messages.ShouldContain(m => m.Contains("openai") && m.Contains("OPENAI_API_KEY is not set"));
        server.Logs.Messages.ShouldContain(m => m.Contains("claude") && m.Contains("CLAUDE_API_KEY is not set"));
    }

    [Fact]
    public async Task Asking_for_a_provider_without_its_key_is_a_validation_problem_naming_the_variable()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));

        var response = await server.CreateClient().PostRawAsync("/api/chat", """{"message": "Hi", "provider": "gemini"}""");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["errors"]!["provider"]![0]!.GetValue<string>().ShouldContain("GEMINI_API_KEY");
    }

    [Fact]
    public async Task A_rejected_key_falls_back_and_is_never_written_to_the_log()
    {
        const string secret = "sk-this-key-is-wrong-1234567890";
        await using var openai = await OpenAIDouble.StartAsync(apiKey: "sk-the-right-key");
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "openai,embedded"), ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", secret),
            ("Teacher:RetryUnavailableAfterSeconds", "0"));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("embedded");
        server.Logs.Messages.ShouldContain(m => m.Contains("rejected the API key") && m.Contains("OPENAI_API_KEY"));
        server.Logs.Messages.ShouldAllBe(m => !m.Contains(secret));
    }
}

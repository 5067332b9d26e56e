using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Apis;

public sealed class ModelsApiTests
{
    [Fact]
    public async Task Lists_every_provider_with_configured_reachable_and_models()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b", "llama3.2:1b");
        await using var openai = await OpenAIDouble.StartAsync();
        openai.Models = ["gpt-4o-mini", "gpt-4.1-nano"];
        await using var server = LlmServerFactory.With(
            ("Ollama:Url", ollama.BaseUrl), ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey),
            ("Teacher:Chain", "openai,ollama,embedded"));

        var response = await server.CreateClient().GetAsync("/api/models");
        var json = await response.ReadJsonAsync();

        json["active"]!.GetValue<string>().ShouldBe("openai");
        json["chain"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["openai", "ollama", "embedded"]);
        var providers = json["providers"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
        providers.Keys.ShouldBe(["ollama", "openai", "gemini", "claude", "embedded"], ignoreOrder: true);

        providers["ollama"]["reachable"]!.GetValue<bool>().ShouldBeTrue();
        providers["ollama"]["models"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["gemma3:1b", "llama3.2:1b"], ignoreOrder: true);
        providers["openai"]["configured"]!.GetValue<bool>().ShouldBeTrue();
        providers["openai"]["models"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldContain("gpt-4.1-nano");
        providers["gemini"]["configured"]!.GetValue<bool>().ShouldBeFalse();
        providers["gemini"]["detail"]!.GetValue<string>().ShouldContain("GEMINI_API_KEY");
        providers["claude"]["reachable"]!.GetValue<bool>().ShouldBeFalse();
        providers["embedded"]["reachable"]!.GetValue<bool>().ShouldBeTrue();
        providers["embedded"]["models"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["bridge-embedded-teacher-v1"]);
    }

    [Fact]
    public async Task Active_is_embedded_when_ollama_is_down_and_the_old_providers_path_works_too()
    {
        await using var server = LlmServerFactory.With();

        var json = await (await server.CreateClient().GetAsync("/api/providers")).ReadJsonAsync();

        json["active"]!.GetValue<string>().ShouldBe("embedded");
        json["providers"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "ollama")!["reachable"]!.GetValue<bool>().ShouldBeFalse();
    }
}

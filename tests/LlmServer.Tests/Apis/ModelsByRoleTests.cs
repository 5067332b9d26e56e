using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Apis;

/// <summary><c>GET /api/models</c> lists each role (teacher, reviewer) with its own chain and what serves it now.</summary>
public sealed class ModelsByRoleTests
{
    [Fact]
    public async Task The_teacher_and_the_reviewer_each_have_their_chain_and_active_provider()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        await using var server = LlmServerFactory.With(
            ("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "embedded"), ("Reviewer:Chain", "ollama,rules"));

        var json = await (await server.CreateClient().GetAsync("/api/models")).ReadJsonAsync();

        var teacher = json["roles"]!["teacher"]!;
        teacher["chain"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["embedded"]);
        teacher["active"]!.GetValue<string>().ShouldBe("embedded");
        teacher["served"]!.GetValue<string>().ShouldBe("embedded/bridge-embedded-teacher-v1");

        var reviewer = json["roles"]!["reviewer"]!;
        reviewer["chain"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["ollama", "embedded"]);
        reviewer["active"]!.GetValue<string>().ShouldBe("ollama");
        reviewer["served"]!.GetValue<string>().ShouldBe("ollama/gemma3:1b");
        reviewer["fallback"]!.GetValue<string>().ShouldBe(LlmServer.Reviews.RuleVerifier.ReviewerName);
    }

    [Fact]
    public async Task A_reviewer_with_no_reachable_judge_is_served_by_its_rules()
    {
        await using var server = LlmServerFactory.With(("Ollama:Url", ClosedPort.Url()), ("Teacher:Chain", "ollama,embedded"), ("Reviewer:Chain", "ollama,rules"));

        var json = await (await server.CreateClient().GetAsync("/api/models")).ReadJsonAsync();

        json["roles"]!["teacher"]!["active"]!.GetValue<string>().ShouldBe("embedded");
        json["roles"]!["reviewer"]!["active"]!.GetValue<string>().ShouldBe("embedded");
        json["roles"]!["reviewer"]!["served"]!.GetValue<string>().ShouldBe(LlmServer.Reviews.RuleVerifier.ReviewerName);
    }
}

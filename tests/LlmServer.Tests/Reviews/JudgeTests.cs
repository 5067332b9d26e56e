using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LlmServer.Reviews;
using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Reviews;

/// <summary>The LLM-as-judge prompt per provider, against doubles that speak each provider's real HTTP API.</summary>
public sealed class JudgeTests
{
    private const string GoodJudgement = """
        {"dimensions": {"relevance": 0.9, "fluency": 0.8, "grammar": 1.0, "novelty": 0.7, "on_topic": 1.0},
         "verdict": "good", "reasons": ["Answers the question."], "better_reply": "Yes, I like pizza with cheese."}
        """;

    private static readonly object Exchange = new
    {
        topic = "food and cooking",
        teacher_message = "Do you like pizza?",
        learner_reply = "Yes, I like pizza.",
        history = new[] { new { role = "assistant", content = "Let's talk about food." }, new { role = "user", content = "I am hungry." } },
    };

    private static async Task<JsonNode> ReviewAsync(LlmServerFactory server)
    {
        var response = await server.CreateClient().PostAsJsonAsync("/api/review", Exchange);
        var json = await response.ReadJsonAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(json.ToJsonString());
        return json;
    }

    /// <summary>Score and verdict follow from the judge's dimensions by the rubric's weights.</summary>
    private static void ShouldBeTheGoodJudgement(JsonNode json, string reviewer)
    {
        json["reviewer"]!.GetValue<string>().ShouldBe(reviewer);
        json["fallback"]!.GetValue<bool>().ShouldBeFalse(json.ToJsonString());
        json["dimensions"]!["relevance"]!.GetValue<double>().ShouldBe(0.9);
        json["score"]!.GetValue<double>().ShouldBe(Math.Round(0.3 * 0.9 + 0.15 * 0.8 + 0.2 * 1.0 + 0.2 * 0.7 + 0.15 * 1.0, 3));
        json["verdict"]!.GetValue<string>().ShouldBe("good");
        json["better_reply"]!.GetValue<string>().ShouldBe("Yes, I like pizza with cheese.");
        json["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["Answers the question."]);
    }

    private static void ShouldDescribeTheExchange(string prompt)
    {
        prompt.ShouldContain("Topic: food and cooking");
        prompt.ShouldContain("Teacher: Do you like pizza?");
        prompt.ShouldContain("Learner: I am hungry.");
        prompt.ShouldContain("Learner's reply to review: Yes, I like pizza.");
    }

    [Fact]
    public async Task Ollama_judges_with_the_json_schema_as_its_format()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        ollama.Reply = GoodJudgement;
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "ollama,embedded"));

        ShouldBeTheGoodJudgement(await ReviewAsync(server), "ollama/gemma3:1b");

        var request = ollama.ChatRequests.Last();
        var format = request["format"]!;
        format["type"]!.GetValue<string>().ShouldBe("object");
        format["properties"]!["dimensions"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(ReviewRubric.Dimensions, ignoreOrder: true);
        format["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldContain("better_reply");
        request["messages"]![0]!["role"]!.GetValue<string>().ShouldBe("system");
        request["messages"]![0]!["content"]!.GetValue<string>().ShouldContain("on_topic");
        ShouldDescribeTheExchange(request["messages"]![1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAI_judges_with_a_json_schema_response_format()
    {
        await using var openai = await OpenAIDouble.StartAsync();
        openai.Reply = GoodJudgement;
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "embedded"), ("Reviewer:Chain", "openai"), ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey));

        ShouldBeTheGoodJudgement(await ReviewAsync(server), "openai/gpt-4o-mini");

        var format = openai.ChatRequests.Last()["response_format"]!;
        format["type"]!.GetValue<string>().ShouldBe("json_schema");
        format["json_schema"]!["name"]!.GetValue<string>().ShouldBe(JudgePrompt.SchemaName);
        format["json_schema"]!["schema"]!["properties"]!["verdict"]!["enum"]!.AsArray().Count.ShouldBe(3);
        ShouldDescribeTheExchange(openai.ChatRequests.Last()["messages"]![1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Claude_judges_with_anthropics_structured_output_config_format()
    {
        await using var claude = await AnthropicDouble.StartAsync();
        claude.Reply = GoodJudgement;
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "embedded"), ("Reviewer:Chain", "claude"), ("Claude:BaseUrl", claude.BaseUrl), ("CLAUDE_API_KEY", claude.ApiKey));

        var json = await ReviewAsync(server);

        json["reviewer"]!.GetValue<string>().ShouldStartWith("claude/");
        ShouldBeTheGoodJudgement(json, json["reviewer"]!.GetValue<string>());
        var request = claude.MessageRequests.Last();
        // The SDK sends the Messages API's structured-output field; it moves the 0..1 bounds into descriptions
        // (Anthropic's schemas take no minimum/maximum), so the range is checked on the answer instead.
        var format = request["output_config"]?["format"];
        format.ShouldNotBeNull(request.ToJsonString());
        format["type"]!.GetValue<string>().ShouldBe("json_schema");
        format["schema"]!["properties"]!["dimensions"].ShouldNotBeNull();
        request["system"].ShouldNotBeNull();
    }

    [Theory]
    [InlineData("I think the reply is good!", "not JSON")]
    [InlineData("""{"dimensions": {"relevance": 1.5, "fluency": 1, "grammar": 1, "novelty": 1, "on_topic": 1}, "verdict": "good", "reasons": [], "better_reply": "Yes."}""", "outside 0..1")]
    [InlineData("""{"dimensions": {"relevance": 1, "fluency": 1}, "verdict": "good", "reasons": [], "better_reply": "Yes."}""", "lacks the number 'grammar'")]
    [InlineData("""{"dimensions": {"relevance": 1, "fluency": 1, "grammar": 1, "novelty": 1, "on_topic": 1}, "verdict": "good", "reasons": []}""", "better_reply")]
    [InlineData("""[1, 2, 3]""", "no 'dimensions'")]
    public async Task Malformed_or_out_of_range_judge_output_falls_back_to_the_rules_and_says_why(string reply, string reason)
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        ollama.Reply = reply;
        await using var server = LlmServerFactory.With(("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "ollama,embedded"));

        var json = await ReviewAsync(server);

        json["reviewer"]!.GetValue<string>().ShouldBe(RuleVerifier.ReviewerName);
        json["fallback"]!.GetValue<bool>().ShouldBeTrue();
        json["fallback_reason"]!.GetValue<string>().ShouldContain(reason);
        json["verdict"]!.GetValue<string>().ShouldBe("good");
        ollama.ChatRequests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_judge_that_answers_late_is_replaced_by_the_rules_within_the_reviewer_timeout()
    {
        await using var openai = await OpenAIDouble.StartAsync();
        openai.Reply = GoodJudgement;
        openai.Delay = TimeSpan.FromSeconds(30);
        await using var server = LlmServerFactory.With(
            ("Teacher:Chain", "embedded"), ("Reviewer:Chain", "openai,embedded"), ("Reviewer:TimeoutSeconds", "0.5"),
            ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey));

        var json = await ReviewAsync(server);

        json["reviewer"]!.GetValue<string>().ShouldBe(RuleVerifier.ReviewerName);
        json["fallback_reason"]!.GetValue<string>().ShouldContain("no review within 0.5 s");
        json["duration_ms"]!.GetValue<long>().ShouldBeLessThan(25_000);
    }

    [Fact]
    public async Task The_reviewer_chain_tries_the_next_judge_when_the_first_fails()
    {
        await using var ollama = await OllamaDouble.StartAsync("gemma3:1b");
        ollama.Reply = "{ broken";
        await using var openai = await OpenAIDouble.StartAsync();
        openai.Reply = GoodJudgement;
        await using var server = LlmServerFactory.With(
            ("Ollama:Url", ollama.BaseUrl), ("Teacher:Chain", "ollama"), ("Reviewer:Chain", "ollama,openai"),
            ("OpenAI:BaseUrl", openai.BaseUrl), ("OPENAI_API_KEY", openai.ApiKey));

        ShouldBeTheGoodJudgement(await ReviewAsync(server), "openai/gpt-4o-mini");
        ollama.ChatRequests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_unconfigured_judge_is_skipped_and_the_answer_says_so()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"), ("Reviewer:Chain", "claude,embedded"));

        var json = await ReviewAsync(server);

        json["reviewer"]!.GetValue<string>().ShouldBe(RuleVerifier.ReviewerName);
        json["fallback_reason"]!.GetValue<string>().ShouldContain("claude:");
    }

    [Fact]
    public async Task An_unknown_provider_in_the_reviewer_chain_stops_the_start()
    {
        var (exitCode, output) = await LlmServerProcess.RunToExitAsync(("Reviewer:Chain", "gpt9"));

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("Reviewer:Chain names an unknown provider 'gpt9'", Case.Sensitive, output);
    }
}
